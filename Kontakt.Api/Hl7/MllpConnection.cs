using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Kontakt.Api.Hl7;

/// <summary>
/// One MLLP connection: reads frames, answers each with its ACK in order, and closes itself on an idle
/// timeout, broken framing, a message over the bound, garbage, or the sender closing mid-message.
/// </summary>
internal sealed class MllpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Hl7MessageHandler _handler;
    private readonly Hl7Options _options;
    private readonly ILogger _logger;

    public MllpConnection(Socket socket, Hl7MessageHandler handler, Hl7Options options, ILogger logger)
    {
        _socket = socket;
        // The ACK is one small write the sender is waiting for: Nagle's delay would only add to its latency.
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _handler = handler;
        _options = options;
        _logger = logger;
        Remote = socket.RemoteEndPoint;
    }

    public EndPoint? Remote { get; }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 8192, minimumReadSize: 2048, leaveOpen: true));
        var scanner = new MllpFrameScanner(_options.MaxMessageBytes);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            while (true)
            {
                deadline.CancelAfter(_options.IdleTimeout);
                ReadResult read;
                try
                {
                    read = await reader.ReadAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    Closed(stoppingToken.IsCancellationRequested ? "the service is stopping" : "idle timeout");
                    return;
                }
                catch (IOException)
                {
                    Closed("the connection was reset");
                    return;
                }
                var buffer = read.Buffer;
                var truncated = false;
                while (true)
                {
                    var status = scanner.Next(buffer, out var frame, out var consumed);
                    if (status == MllpFrameStatus.NeedMore)
                    {
                        truncated = !IsOnlyLineEnds(buffer);
                        reader.AdvanceTo(buffer.Start, buffer.End);
                        break;
                    }
                    if (status != MllpFrameStatus.Frame)
                    {
                        Closed(status == MllpFrameStatus.TooLarge
                            ? $"a message larger than {_options.MaxMessageBytes} bytes (Kontakt:Hl7:MaxMessageBytes)"
                            : "broken MLLP framing");
                        return;
                    }
                    deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                    var ack = await _handler.HandleAsync(frame);
                    if (ack is null)
                    {
                        Closed("a frame that is not an HL7 v2 message");
                        return;
                    }
                    if (!await WriteFrameAsync(ack))
                    {
                        Closed("the ACK could not be sent");
                        return;
                    }
                    buffer = buffer.Slice(consumed);
                }
                if (read.IsCompleted)
                {
                    if (truncated)
                    {
                        Closed("the sender closed the connection in the middle of a message");
                    }
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    // Not cancelled by shutdown: the message is committed, and its sender is owed the ACK. A sender that reads nothing is given the idle timeout.
    private async Task<bool> WriteFrameAsync(byte[] ack)
    {
        using var timeout = new CancellationTokenSource(_options.IdleTimeout);
        var framed = new byte[ack.Length + 3];
        framed[0] = MllpFrameScanner.StartBlock;
        ack.CopyTo(framed, 1);
        framed[^2] = MllpFrameScanner.EndBlock;
        framed[^1] = MllpFrameScanner.CarriageReturn;
        try
        {
            await _stream.WriteAsync(framed, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static bool IsOnlyLineEnds(System.Buffers.ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            if (segment.Span.IndexOfAnyExcept((byte)'\r', (byte)'\n') >= 0)
            {
                return false;
            }
        }
        return true;
    }

    private void Closed(string reason) =>
        _logger.LogInformation("HL7 MLLP connection from {Remote} closed: {Reason}.", Remote, reason);

    public void Dispose() => _stream.Dispose();
}
