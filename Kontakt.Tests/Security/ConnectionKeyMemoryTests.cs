using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Kontakt.Api.Security;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Security;

/// <summary>
/// A keep-alive connection remembers the key it authenticated with (ConnectionKeyMemory): every request on it must
/// still be judged by the key that request presents, and a revocation must bite as soon as without the memory.
/// On Kestrel, with one connection for all of a test's requests (the in-memory test server has no connections).
/// </summary>
public sealed class ConnectionKeyMemoryTests(KestrelApiFixture api) : IClassFixture<KestrelApiFixture>
{
    private const string Manifest = "/v1/snapshots/public/manifest";

    [Fact]
    public async Task Each_request_on_one_connection_is_judged_by_the_key_it_presents()
    {
        using var connection = new OneConnection(api.Client.BaseAddress!);
        var ingest = api.Factory.Keys[KontaktRoles.Ingest];
        var analyst = api.Factory.Keys[KontaktRoles.Analyst];
        var unknown = "kontakt_" + new string('A', 43);

        Assert.Equal(HttpStatusCode.Created, await connection.PostRecordAsync(ingest));
        Assert.Equal(HttpStatusCode.Unauthorized, await connection.PostRecordAsync(key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await connection.PostRecordAsync(unknown));
        Assert.Equal(HttpStatusCode.Unauthorized, await connection.PostRecordAsync(ingest[..^1] + (ingest[^1] == 'A' ? 'B' : 'A')));
        Assert.Equal(HttpStatusCode.Forbidden, await connection.PostRecordAsync(analyst));
        Assert.Equal(HttpStatusCode.OK, await connection.GetAsync(Manifest, analyst));
        Assert.Equal(HttpStatusCode.Forbidden, await connection.GetAsync(Manifest, ingest));
        Assert.Equal(HttpStatusCode.Created, await connection.PostRecordAsync(ingest));

        Assert.Equal(1, connection.Opened);
    }

    [Fact]
    public async Task A_key_revoked_while_its_connection_stays_open_is_refused_within_the_cache_lifetime()
    {
        using var connection = new OneConnection(api.Client.BaseAddress!);
        var store = new ApiKeyStore(api.Database.DataSource);
        var name = "kept-open-" + Guid.NewGuid().ToString("N")[..8];
        var key = (await store.CreateAsync(name, KontaktRoles.Analyst, CancellationToken.None)).Key;
        Assert.Equal(HttpStatusCode.OK, await connection.GetAsync(Manifest, key));
        Assert.Equal(HttpStatusCode.OK, await connection.GetAsync(Manifest, key));

        Assert.True(await store.RevokeAsync(name, CancellationToken.None));
        await Revocation.AssertRefusedWithinCacheLifetimeAsync(() => connection.GetAsync(Manifest, key));

        Assert.Equal(1, connection.Opened);
    }

    /// <summary>An HTTP/1.1 client that opens at most one connection and counts how many it opened.</summary>
    private sealed class OneConnection : IDisposable
    {
        private readonly HttpClient _client;
        private int _opened;

        public OneConnection(Uri baseAddress)
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                ConnectCallback = async (context, cancellationToken) =>
                {
                    Interlocked.Increment(ref _opened);
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            _client = new HttpClient(handler) { BaseAddress = baseAddress, DefaultRequestVersion = HttpVersion.Version11 };
        }

        public int Opened => Volatile.Read(ref _opened);

        public Task<HttpStatusCode> PostRecordAsync(string? key) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/records") { Content = JsonContent.Create(ApiJson.Record(TestRecords.UniqueName())) }, key);

        public Task<HttpStatusCode> GetAsync(string path, string? key) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), key);

        private async Task<HttpStatusCode> SendAsync(HttpRequestMessage request, string? key)
        {
            using (request)
            {
                if (key is not null)
                {
                    request.Headers.Add(KontaktAuthentication.ApiKeyHeader, key);
                }
                using var response = await _client.SendAsync(request);
                // Read to the end, so the connection is free for the next request.
                await response.Content.ReadAsByteArrayAsync();
                return response.StatusCode;
            }
        }

        public void Dispose() => _client.Dispose();
    }
}
