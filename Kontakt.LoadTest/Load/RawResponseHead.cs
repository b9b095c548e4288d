using System.Buffers.Text;
using System.Text;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// What the raw client needs from an HTTP/1.x response head: the status, how the body is framed,
/// whether the connection stays open, and Retry-After. Every other header is skipped.
/// </summary>
public readonly record struct RawResponseHead(int Status, long ContentLength, bool Chunked, bool Close, TimeSpan? RetryAfter)
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>Parses <paramref name="head"/>: the status line and header lines, each ending in CRLF, then the empty line.</summary>
    /// <returns>False for anything that is not a well-formed HTTP/1.x response head.</returns>
    public static bool TryParse(ReadOnlySpan<byte> head, out RawResponseHead parsed)
    {
        parsed = default;
        var lineEnd = head.IndexOf(Crlf);
        if (lineEnd < 0 || !TryParseStatusLine(head[..lineEnd], out var status, out var http10))
        {
            return false;
        }
        long contentLength = -1;
        var chunked = false;
        var close = http10;
        TimeSpan? retryAfter = null;
        var rest = head[(lineEnd + 2)..];
        while (true)
        {
            lineEnd = rest.IndexOf(Crlf);
            if (lineEnd < 0)
            {
                return false;
            }
            if (lineEnd == 0)
            {
                break;
            }
            var line = rest[..lineEnd];
            rest = rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return false;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out var used) || used != value.Length || contentLength < 0)
                {
                    return false;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                // The last coding decides the framing; anything else is read to the connection's end.
                chunked = Ascii.EqualsIgnoreCase(LastToken(value), "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close = HasToken(value, "close"u8) || (close && !HasToken(value, "keep-alive"u8));
            }
            else if (Ascii.EqualsIgnoreCase(name, "Retry-After"u8))
            {
                retryAfter = ParseRetryAfter(value);
            }
        }
        parsed = new RawResponseHead(status, chunked ? -1 : contentLength, chunked, close, retryAfter);
        return true;
    }

    /// <summary>True when no body follows, whatever the framing headers say.</summary>
    public bool HasNoBody => Status is 204 or 304 || Status < 200;

    /// <summary>Neither chunked nor counted: the body runs to the end of the connection.</summary>
    public bool BodyUntilClose => !Chunked && ContentLength < 0 && !HasNoBody;

    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, out int status, out bool http10)
    {
        status = 0;
        http10 = false;
        // "HTTP/1.1 201 Created": the reason phrase may be empty, even missing with its space.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ' || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }
        http10 = line[7] == (byte)'0';
        return Utf8Parser.TryParse(line.Slice(9, 3), out status, out var used) && used == 3 && status is >= 100 and < AttemptStatus.Slots;
    }

    private static TimeSpan? ParseRetryAfter(ReadOnlySpan<byte> value)
    {
        if (Utf8Parser.TryParse(value, out int seconds, out var used) && used == value.Length && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return Utf8Parser.TryParse(value, out DateTimeOffset date, out used, 'R') && used == value.Length
            ? date - DateTimeOffset.UtcNow
            : null;
    }

    private static ReadOnlySpan<byte> LastToken(ReadOnlySpan<byte> list)
    {
        var comma = list.LastIndexOf((byte)',');
        return list[(comma + 1)..].Trim(" \t"u8);
    }

    private static bool HasToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        while (true)
        {
            var comma = list.IndexOf((byte)',');
            var item = (comma < 0 ? list : list[..comma]).Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(item, token))
            {
                return true;
            }
            if (comma < 0)
            {
                return false;
            }
            list = list[(comma + 1)..];
        }
    }
}
