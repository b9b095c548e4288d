using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection of the raw client, one request at a time. Connects when first
/// used and again after the server closed it or it failed; its send and receive buffers live as long
/// as it does, so a request allocates nothing of its own.
/// </summary>
public sealed class RawHttpConnection(string host, int port, TimeSpan connectTimeout) : IDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private const long MaxBodyBytes = 256L * 1024 * 1024;
    private const long TimedOut = -1;

    private Socket? _socket;
    private byte[] _send = ArrayPool<byte>.Shared.Rent(8 * 1024);
    private byte[] _receive = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private bool _receivedAny;

    // Stopwatch timestamp by which the request in flight must be answered; 0 when idle, TimedOut once the watchdog gave up on it.
    private long _deadline;

    /// <summary>Connections opened so far (reconnects included).</summary>
    public int Opened { get; private set; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TransportResult> SendAsync(
        RawRequestTemplate request, ReadOnlyMemory<byte> body, RequestBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var length = WriteRequest(request, body.Span);
        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        for (var attempt = 1; ; attempt++)
        {
            var reused = _socket is not null;
            _receivedAny = false;
            try
            {
                var socket = _socket ?? await ConnectAsync(cancellationToken);
                await socket.SendAsync(_send.AsMemory(0, length), SocketFlags.None, cancellationToken);
                var head = await ReadResponseAsync(socket, buffer, cancellationToken);
                if (Interlocked.Exchange(ref _deadline, 0) == TimedOut)
                {
                    Close();
                    return TransportResult.Failed(AttemptStatus.Timeout, TimeoutMessage(timeout));
                }
                // Anything after the response would be a reply to nothing we sent: the connection is out of step.
                if (head.Close || _start != _end)
                {
                    Close();
                }
                return new TransportResult(head.Status, head.RetryAfter, null);
            }
            catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                Close();
                if (Volatile.Read(ref _deadline) == TimedOut)
                {
                    _deadline = 0;
                    return TransportResult.Failed(AttemptStatus.Timeout, TimeoutMessage(timeout));
                }
                // A kept-alive connection the server closed while it was idle fails before any answer: resend
                // once on a new one, as HttpClient does, rather than count a failure the service never saw.
                if (reused && !_receivedAny && attempt == 1 && !cancellationToken.IsCancellationRequested)
                {
                    continue;
                }
                _deadline = 0;
                return TransportResult.Failed(AttemptStatus.TransportError, error.Message);
            }
        }
    }

    /// <summary>Called by the watchdog: breaks the connection if its request is overdue, which fails the request as a timeout.</summary>
    public void AbortIfOverdue(long now)
    {
        var deadline = Volatile.Read(ref _deadline);
        if (deadline > 0 && now > deadline && Interlocked.CompareExchange(ref _deadline, TimedOut, deadline) == deadline)
        {
            Volatile.Read(ref _socket)?.Dispose();
        }
    }

    private static string TimeoutMessage(TimeSpan timeout) =>
        $"No response within {timeout.TotalSeconds:N0} s.";

    private int WriteRequest(RawRequestTemplate request, ReadOnlySpan<byte> body)
    {
        var needed = request.MaxLength(body.Length);
        if (needed > _send.Length)
        {
            ArrayPool<byte>.Shared.Return(_send);
            _send = ArrayPool<byte>.Shared.Rent(needed);
        }
        return request.Write(_send, body);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Volatile.Write(ref _socket, socket);
        _start = _end = 0;
        using var connectLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectLimit.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, connectLimit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }
        Opened++;
        return socket;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RawResponseHead> ReadResponseAsync(Socket socket, RequestBuffer buffer, CancellationToken cancellationToken)
    {
        buffer.ClearResponse();
        while (true)
        {
            int headLength;
            while ((headLength = HeadLength()) < 0)
            {
                if (!await FillAsync(socket, cancellationToken))
                {
                    throw new IOException(_receivedAny ? "The server closed the connection inside a response head." : "The server closed the connection without answering.");
                }
            }
            if (!RawResponseHead.TryParse(_receive.AsSpan(_start, headLength), out var head))
            {
                throw new IOException("The server sent a malformed HTTP response head.");
            }
            _start += headLength;
            if (head.Status < 200)
            {
                // An interim answer (100 Continue and the like): the real one follows.
                continue;
            }
            if (head.Chunked)
            {
                await ReadChunkedAsync(socket, buffer, cancellationToken);
            }
            else if (head.ContentLength > 0 && !head.HasNoBody)
            {
                await ReadCountedAsync(socket, head.ContentLength, buffer, cancellationToken);
            }
            else if (head.BodyUntilClose)
            {
                await ReadToEndAsync(socket, buffer, cancellationToken);
                return head with { Close = true };
            }
            return head;
        }
    }

    private int HeadLength()
    {
        var end = _receive.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FillAsync(Socket socket, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _receive.Length)
        {
            MakeRoom();
        }
        var read = await socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            return false;
        }
        _end += read;
        _receivedAny = true;
        return true;
    }

    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_start == 0)
        {
            // Only a head or a chunk-size line stays in this buffer whole; a body is copied out as it comes.
            if (_receive.Length >= MaxHeadBytes)
            {
                throw new IOException("The server sent a response head or chunk line over 64 KiB.");
            }
            var larger = ArrayPool<byte>.Shared.Rent(_receive.Length * 2);
            _receive.AsSpan(0, pending).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_receive);
            _receive = larger;
            return;
        }
        _receive.AsSpan(_start, pending).CopyTo(_receive);
        _start = 0;
        _end = pending;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadCountedAsync(Socket socket, long length, RequestBuffer buffer, CancellationToken cancellationToken)
    {
        if (length > MaxBodyBytes)
        {
            throw new IOException("The server announced a response body over 256 MiB.");
        }
        var buffered = (int)Math.Min(length, _end - _start);
        buffer.AppendResponse(_receive.AsSpan(_start, buffered));
        _start += buffered;
        var remaining = length - buffered;
        while (remaining > 0)
        {
            var space = buffer.ResponseSpace();
            var read = await socket.ReceiveAsync(space[..(int)Math.Min(space.Length, remaining)], SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The server closed the connection inside a response body.");
            }
            buffer.ResponseWritten(read);
            remaining -= read;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadChunkedAsync(Socket socket, RequestBuffer buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var size = ParseChunkSize(await ReadLineAsync(socket, cancellationToken));
            if (size == 0)
            {
                // Trailer fields, if any, up to the empty line.
                while (await ReadLineAsync(socket, cancellationToken) > 0)
                {
                }
                return;
            }
            await ReadCountedAsync(socket, size, buffer, cancellationToken);
            if (await ReadLineAsync(socket, cancellationToken) != 0)
            {
                throw new IOException("The server sent a chunk longer than its size.");
            }
        }
    }

    /// <summary>Waits for a whole line; returns its length with the line left just before <see cref="_start"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        int end;
        while ((end = _receive.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (!await FillAsync(socket, cancellationToken))
            {
                throw new IOException("The server closed the connection inside a chunked body.");
            }
        }
        _start += end + 2;
        return end;
    }

    private long ParseChunkSize(int lineLength)
    {
        var line = _receive.AsSpan(_start - lineLength - 2, lineLength);
        var extensions = line.IndexOf((byte)';');
        var digits = (extensions < 0 ? line : line[..extensions]).Trim(" \t"u8);
        return digits.Length is > 0 and <= 15 && Utf8Parser.TryParse(digits, out long size, out var used, 'X') && used == digits.Length
            ? size
            : throw new IOException("The server sent a malformed chunk size.");
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadToEndAsync(Socket socket, RequestBuffer buffer, CancellationToken cancellationToken)
    {
        buffer.AppendResponse(_receive.AsSpan(_start, _end - _start));
        _start = _end = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.ResponseSpace(), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return;
            }
            buffer.ResponseWritten(read);
        }
    }

    private void Close()
    {
        Volatile.Read(ref _socket)?.Dispose();
        Volatile.Write(ref _socket, null);
        _start = _end = 0;
    }

    public void Dispose()
    {
        Close();
        ArrayPool<byte>.Shared.Return(_send);
        ArrayPool<byte>.Shared.Return(_receive);
    }
}
