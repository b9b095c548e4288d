using System.Buffers;
using System.Text.Json;
using Kontakt.LoadTest.Data;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// A reusable request body (written with one long-lived <see cref="Utf8JsonWriter"/>) and a
/// pooled response buffer. One per request in flight; returned to the pool afterwards.
/// </summary>
public sealed class RequestBuffer : IDisposable
{
    private readonly ArrayBufferWriter<byte> _body = new(4096);
    private readonly Utf8JsonWriter _writer;
    private byte[] _response = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _responseLength;

    public RequestBuffer() => _writer = new Utf8JsonWriter(_body, RecordBodyWriter.WriterOptions);

    public Utf8JsonWriter StartBody()
    {
        _body.ResetWrittenCount();
        _writer.Reset(_body);
        return _writer;
    }

    public ReadOnlyMemory<byte> Body()
    {
        _writer.Flush();
        return _body.WrittenMemory;
    }

    public ReadOnlySpan<byte> Response => _response.AsSpan(0, _responseLength);

    public async Task ReadResponseAsync(HttpContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ClearResponse();
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        while (true)
        {
            var read = await stream.ReadAsync(ResponseSpace(), cancellationToken);
            if (read == 0)
            {
                return;
            }
            ResponseWritten(read);
        }
    }

    public void ClearResponse() => _responseLength = 0;

    /// <summary>Free space after the response read so far; at least one byte, grown by doubling.</summary>
    public Memory<byte> ResponseSpace()
    {
        if (_responseLength == _response.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_response.Length * 2);
            _response.AsSpan(0, _responseLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_response);
            _response = larger;
        }
        return _response.AsMemory(_responseLength);
    }

    public void ResponseWritten(int count) => _responseLength += count;

    public void AppendResponse(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var space = ResponseSpace().Span;
            var count = Math.Min(space.Length, bytes.Length);
            bytes[..count].CopyTo(space);
            ResponseWritten(count);
            bytes = bytes[count..];
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        ArrayPool<byte>.Shared.Return(_response);
    }
}
