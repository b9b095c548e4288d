using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// The <c>--client raw</c> transport: HTTP/1.1 over a pool of persistent sockets, one request in flight
/// on each, opened as needed (so no more than the requests ever in flight together). Writes each
/// request with one send from a reused buffer and parses only what the run needs from the answer,
/// which measured about a quarter less CPU per request than <see cref="HttpClient"/> (README): CPU
/// the service under test gets instead. Plain http:// only.
/// </summary>
public sealed class RawHttpTransport : IRecordTransport
{
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromSeconds(1);

    private readonly RawRequestTemplate[] _templates;
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _connectTimeout;
    private readonly ConcurrentQueue<RawHttpConnection> _idle = new();
    private readonly List<RawHttpConnection> _all = [];
    private readonly Timer _watchdog;

    /// <param name="target">The API's base URL; must be http://.</param>
    /// <param name="apiKey">Sent in X-Api-Key, if any.</param>
    /// <param name="requestTimeout">Default <see cref="LoadHttpClient.RequestTimeout"/>, as the HttpClient path.</param>
    public RawHttpTransport(Uri target, string? apiKey, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"The raw client speaks plain HTTP only; {target.Scheme}:// needs --client http.", nameof(target));
        }
        _templates = RawRequestTemplate.For(target, apiKey);
        _host = target.IdnHost;
        _port = target.Port;
        _requestTimeout = requestTimeout ?? LoadHttpClient.RequestTimeout;
        _connectTimeout = LoadHttpClient.ConnectTimeout;
        _watchdog = new Timer(_ => AbortOverdue(), null, WatchdogPeriod, WatchdogPeriod);
    }

    public string Name => "raw";

    /// <summary>Connections opened so far, reconnects included.</summary>
    public int ConnectionsOpened
    {
        get
        {
            lock (_all)
            {
                return _all.Sum(c => c.Opened);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TransportResult> SendAsync(TransportRequest request, ReadOnlyMemory<byte> body, RequestBuffer buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!_idle.TryDequeue(out var connection))
        {
            connection = new RawHttpConnection(_host, _port, _connectTimeout);
            lock (_all)
            {
                _all.Add(connection);
            }
        }
        try
        {
            return await connection.SendAsync(_templates[(int)request], body, buffer, _requestTimeout, cancellationToken);
        }
        finally
        {
            _idle.Enqueue(connection);
        }
    }

    private void AbortOverdue()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_all)
        {
            foreach (var connection in _all)
            {
                connection.AbortIfOverdue(now);
            }
        }
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        lock (_all)
        {
            foreach (var connection in _all)
            {
                connection.Dispose();
            }
            _all.Clear();
        }
    }
}
