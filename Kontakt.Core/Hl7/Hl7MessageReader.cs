using System.Buffers;
using System.Runtime.CompilerServices;

namespace Kontakt.Core.Hl7;

/// <summary>
/// Splits a file or stream of HL7 v2 messages into messages, whichever of the usual forms it has:
/// MLLP-framed (<c>0x0B</c> … <c>0x1C 0x0D</c>, as a listener's capture holds them), a batch
/// (<c>FHS</c>/<c>BHS</c> … <c>BTS</c>/<c>FTS</c> around the messages), or plain segments one after another.
/// Every <c>MSH</c> segment starts a message; the batch envelope segments end the message before them and
/// are otherwise skipped; the framing bytes, a UTF-8 byte order mark and blank lines are ignored. Memory is
/// bounded by <c>maxMessageBytes</c>: a longer message is reported as an error and skipped up to the next MSH.
/// </summary>
public static class Hl7MessageReader
{
    private const byte StartBlock = 0x0B;
    private const byte EndBlock = 0x1C;

    /// <summary>Reads the messages of <paramref name="stream"/> in order.</summary>
    public static async IAsyncEnumerable<Hl7FileMessage> ReadAsync(
        Stream stream, int maxMessageBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 8);
        var state = new ReaderState(maxMessageBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var pending = new List<Hl7FileMessage>();
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
            {
                state.Feed(buffer.AsSpan(0, read), pending);
                foreach (var message in pending)
                {
                    yield return message;
                }
                pending.Clear();
            }
            state.Finish(pending);
            foreach (var message in pending)
            {
                yield return message;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class ReaderState(int maxMessageBytes)
    {
        private readonly ArrayBufferWriter<byte> _line = new();
        private readonly ArrayBufferWriter<byte> _message = new();
        private bool _lineTooLong;
        private bool _inMessage;
        private bool _messageTooLarge;
        private bool _strayReported;
        private long _messageLine;
        private long _lineStart = 1;
        private long _lineNumber = 1;
        private bool _previousWasCr;
        private bool _atStart = true;
        private int _number;

        public void Feed(ReadOnlySpan<byte> bytes, List<Hl7FileMessage> output)
        {
            foreach (var b in bytes)
            {
                if (b is (byte)'\r' or (byte)'\n' or StartBlock or EndBlock)
                {
                    EndLine(output);
                    if (b == '\r' || (b == '\n' && !_previousWasCr))
                    {
                        _lineNumber++;
                    }
                    _previousWasCr = b == '\r';
                    _lineStart = _lineNumber;
                    continue;
                }
                _previousWasCr = false;
                if (_line.WrittenCount >= maxMessageBytes)
                {
                    _lineTooLong = true;
                    continue;
                }
                _line.GetSpan(1)[0] = b;
                _line.Advance(1);
            }
        }

        public void Finish(List<Hl7FileMessage> output)
        {
            EndLine(output);
            EndMessage(output);
        }

        private void EndLine(List<Hl7FileMessage> output)
        {
            var line = _line.WrittenSpan;
            if (_atStart && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }
            if (line.Length > 0 || _lineTooLong)
            {
                _atStart = false;
            }
            var lineNumber = _lineStart;
            if (line.Trim((byte)' ').Length == 0 && !_lineTooLong)
            {
                _line.Clear();
                return;
            }
            if (line.StartsWith("MSH"u8))
            {
                EndMessage(output);
                _inMessage = true;
                _messageLine = lineNumber;
                _strayReported = false;
            }
            else if (line.StartsWith("FHS"u8) || line.StartsWith("BHS"u8) || line.StartsWith("BTS"u8) || line.StartsWith("FTS"u8))
            {
                EndMessage(output);
                _line.Clear();
                _lineTooLong = false;
                return;
            }
            else if (!_inMessage)
            {
                if (!_strayReported)
                {
                    output.Add(new Hl7FileMessage(++_number, lineNumber, null, "segments outside any message (no MSH segment before them)."));
                    _strayReported = true;
                }
                _line.Clear();
                _lineTooLong = false;
                return;
            }
            if (_lineTooLong || _message.WrittenCount + line.Length + 1 > maxMessageBytes)
            {
                _messageTooLarge = true;
            }
            else
            {
                _message.Write(line);
                _message.Write("\r"u8);
            }
            _line.Clear();
            _lineTooLong = false;
        }

        private void EndMessage(List<Hl7FileMessage> output)
        {
            if (!_inMessage)
            {
                return;
            }
            output.Add(_messageTooLarge
                ? new Hl7FileMessage(++_number, _messageLine, null, $"the message is larger than {maxMessageBytes} bytes.")
                : new Hl7FileMessage(++_number, _messageLine, _message.WrittenSpan.ToArray(), null));
            _message.Clear();
            _inMessage = false;
            _messageTooLarge = false;
        }
    }
}
