using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kontakt.Tests.Hl7;

/// <summary>A sending system's side of an MLLP connection, for end-to-end tests.</summary>
internal sealed class MllpTestClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    private MllpTestClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<MllpTestClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new MllpTestClient(tcp);
    }

    public static byte[] Frame(string message) => [0x0B, .. Encoding.UTF8.GetBytes(message), 0x1C, 0x0D];

    public Task SendAsync(string message) => SendBytesAsync(Frame(message));

    public async Task SendBytesAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends <paramref name="message"/> and waits for its ACK.</summary>
    public async Task<string> ExchangeAsync(string message)
    {
        await SendAsync(message);
        return await ReceiveAsync() ?? throw new InvalidOperationException("The listener closed the connection instead of answering.");
    }

    /// <summary>The next framed answer, or null when the listener closed the connection first.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[4096];
        while (true)
        {
            var end = FindEnd();
            if (end >= 0)
            {
                Assert.Equal(0x0B, _pending[0]);
                var ack = Encoding.UTF8.GetString(_pending.GetRange(1, end - 1).ToArray());
                _pending.RemoveRange(0, end + 2);
                return ack;
            }
            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, deadline.Token);
            }
            catch (IOException)
            {
                return null;
            }
            if (read == 0)
            {
                return null;
            }
            _pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>True when the listener closes the connection within <paramref name="timeout"/> without answering.</summary>
    public async Task<bool> IsClosedByListenerAsync(TimeSpan timeout)
    {
        try
        {
            return await ReceiveAsync(timeout) is null;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private int FindEnd()
    {
        for (var i = 0; i + 1 < _pending.Count; i++)
        {
            if (_pending[i] == 0x1C && _pending[i + 1] == 0x0D)
            {
                return i;
            }
        }
        return -1;
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Reads the parts of an ACK the tests look at.</summary>
internal sealed record ParsedAck(string Code, string ControlId, string[] ErrorCodes, string Text)
{
    public static ParsedAck From(string ack)
    {
        var segments = ack.Split('\r', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('|')).ToArray();
        Assert.Equal("MSH", segments[0][0]);
        var msa = segments.Single(s => s[0] == "MSA");
        var errors = segments.Where(s => s[0] == "ERR").Select(s => s[3].Split('^')[0]).ToArray();
        return new ParsedAck(msa[1], msa[2], errors, ack);
    }
}
