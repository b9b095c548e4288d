using System.Net;
using Kontakt.LoadTest.Cli;

namespace Kontakt.LoadTest.Load;

/// <summary>The one <see cref="HttpClient"/> of a run.</summary>
public static class LoadHttpClient
{
    /// <summary>Above the service's 30 s commit timeout, so a slow commit shows as its 504, not as our timeout.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(90);

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A client for <paramref name="options"/>' target that sends <paramref name="apiKey"/> (if any) in X-Api-Key.</summary>
    public static HttpClient Create(LoadTestOptions options, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            // One connection per possible request in flight (plus a few for the visibility sampler's GETs).
            MaxConnectionsPerServer = options.Concurrency + 8,
            // Long enough that reconnecting never shows in a run's latency; short enough to follow DNS on a soak test.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = options.Target,
            Timeout = RequestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
        };
        client.DefaultRequestHeaders.ExpectContinue = false;
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeys.Header, apiKey);
        }
        return client;
    }
}
