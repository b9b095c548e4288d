using System.Buffers.Text;
using System.Text;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// One request's bytes up to the body, encoded once per run: request line, Host, the fixed headers,
/// and (for a POST) <c>Content-Length: </c>, whose number is the only part written per request. Each
/// head ends without its line's CRLF; <see cref="Write"/> ends the head.
/// </summary>
public sealed class RawRequestTemplate
{
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    private readonly byte[] _head;
    private readonly bool _hasBody;

    private RawRequestTemplate(string head, bool hasBody)
    {
        _head = Encoding.ASCII.GetBytes(head);
        _hasBody = hasBody;
    }

    /// <summary>The templates for <paramref name="target"/>, indexed by <see cref="TransportRequest"/>.</summary>
    public static RawRequestTemplate[] For(Uri target, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (apiKey is not null && !apiKey.All(c => c is > ' ' and < '\u007f'))
        {
            throw new ArgumentException("The API key must be printable ASCII to go into a header.", nameof(apiKey));
        }
        var basePath = target.AbsolutePath.EndsWith('/') ? target.AbsolutePath : target.AbsolutePath + "/";
        var common = $"Host: {target.Authority}\r\n" + (apiKey is null ? "" : $"{ApiKeys.Header}: {apiKey}\r\n");
        var post = common + "Content-Type: application/json\r\n";
        var templates = new RawRequestTemplate[Enum.GetValues<TransportRequest>().Length];
        templates[(int)TransportRequest.PostRecord] = new($"POST {basePath}v1/records HTTP/1.1\r\n{post}Content-Length: ", true);
        templates[(int)TransportRequest.PostRecordRespondAsync] = new($"POST {basePath}v1/records HTTP/1.1\r\n{post}Prefer: respond-async\r\nContent-Length: ", true);
        templates[(int)TransportRequest.PostBatch] = new($"POST {basePath}v1/records/batch HTTP/1.1\r\n{post}Content-Length: ", true);
        templates[(int)TransportRequest.GetLive] = new($"GET {basePath}health/live HTTP/1.1\r\n{common}"[..^2], false);
        return templates;
    }

    /// <summary>Bytes <see cref="Write"/> needs at most.</summary>
    public int MaxLength(int bodyLength) => _head.Length + 10 + EndOfHead.Length + bodyLength;

    /// <summary>Writes the whole request into <paramref name="destination"/>; returns its length.</summary>
    public int Write(Span<byte> destination, ReadOnlySpan<byte> body)
    {
        _head.CopyTo(destination);
        var length = _head.Length;
        if (_hasBody)
        {
            Utf8Formatter.TryFormat(body.Length, destination[length..], out var digits);
            length += digits;
        }
        EndOfHead.CopyTo(destination[length..]);
        length += EndOfHead.Length;
        body.CopyTo(destination[length..]);
        return length + body.Length;
    }
}
