using System.Buffers;
using System.Runtime.CompilerServices;

namespace Kontakt.Core.Imports;

/// <summary>One line of a line-delimited file, without its line break.</summary>
/// <param name="Number">1-based line number.</param>
/// <param name="Bytes">The line's bytes (valid until the next line is read); empty when <paramref name="TooLong"/>.</param>
/// <param name="TooLong">The line was longer than the bound and was skipped unread.</param>
internal readonly record struct NdjsonLine(long Number, ReadOnlyMemory<byte> Bytes, bool TooLong);

/// <summary>
/// Splits a stream into lines (LF or CRLF) with memory bounded by the longest line allowed. Blank lines
/// are skipped (their numbers are not reused); a UTF-8 byte order mark at the start is dropped.
/// </summary>
internal static class NdjsonLines
{
    public static async IAsyncEnumerable<NdjsonLine> ReadAsync(Stream input, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(64 * 1024, maxLineBytes * 2));
        try
        {
            long number = 1;
            var start = 0;
            var end = 0;
            var skipping = false;
            var first = true;
            while (true)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                var read = await input.ReadAsync(buffer.AsMemory(end), cancellationToken);
                end += read;
                if (first && end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    start = 3;
                }
                first = first && end < 3 && read > 0;
                while (true)
                {
                    var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                    if (newline < 0)
                    {
                        break;
                    }
                    if (skipping)
                    {
                        skipping = false;
                        yield return new NdjsonLine(number, ReadOnlyMemory<byte>.Empty, true);
                    }
                    else if (Line(buffer, start, newline) is { Length: > 0 } line)
                    {
                        yield return new NdjsonLine(number, line, false);
                    }
                    number++;
                    start = newline + 1;
                }
                if (end - start > maxLineBytes)
                {
                    skipping = true;
                    start = end;
                }
                if (read == 0)
                {
                    if (skipping)
                    {
                        yield return new NdjsonLine(number, ReadOnlyMemory<byte>.Empty, true);
                    }
                    else if (Line(buffer, start, end) is { Length: > 0 } last)
                    {
                        yield return new NdjsonLine(number, last, false);
                    }
                    yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ReadOnlyMemory<byte> Line(byte[] buffer, int start, int end)
    {
        var line = buffer.AsMemory(start, end - start);
        var span = line.Span;
        var length = span.Length;
        while (length > 0 && span[length - 1] is (byte)'\r' or (byte)' ' or (byte)'\t')
        {
            length--;
        }
        var from = 0;
        while (from < length && span[from] is (byte)' ' or (byte)'\t')
        {
            from++;
        }
        return line[from..length];
    }
}
