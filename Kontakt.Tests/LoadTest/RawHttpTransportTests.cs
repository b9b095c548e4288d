using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Kontakt.LoadTest.Load;
using Kontakt.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kontakt.Tests.LoadTest;

/// <summary>
/// The raw client against a real Kestrel on a loopback port. The first path segment picks how the
/// server answers, so each test points the client at a base path: <c>http://…/chunked/</c> and so on.
/// </summary>
public sealed class RawHttpTransportTests : IAsyncLifetime
{
    private const string Key = "test-ingest-key";
    private static readonly byte[] Record = """{"recordId":"r1","name":"x"}"""u8.ToArray();

    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private WebApplication _server = null!;
    private Uri _address = null!;

    private sealed record SeenRequest(string Method, string Path, string? ContentType, string? ApiKey, string? Prefer, long? ContentLength, int BodyBytes, string Connection);

    public async Task InitializeAsync() => (_server, _address) = await StartServerAsync(_seen, keepAlive: null);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<(WebApplication Server, Uri Address)> StartServerAsync(
        ConcurrentQueue<SeenRequest> seen, TimeSpan? keepAlive, ConcurrentQueue<string>? closedConnections = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (keepAlive is { } timeout)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.KeepAliveTimeout = timeout);
        }
        var app = builder.Build();
        if (closedConnections is not null)
        {
            app.Use(async (context, next) =>
            {
                context.Features.Get<IConnectionCompleteFeature>()!.OnCompleted(id =>
                {
                    closedConnections.Enqueue((string)id);
                    return Task.CompletedTask;
                }, context.Connection.Id);
                await next(context);
            });
        }
        app.Run(context => AnswerAsync(context, seen));
        await app.StartAsync();
        return (app, new Uri(app.Urls.Single() + "/"));
    }

    private static async Task AnswerAsync(HttpContext context, ConcurrentQueue<SeenRequest> seen)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        seen.Enqueue(new SeenRequest(request.Method, request.Path, request.ContentType, request.Headers["X-Api-Key"], request.Headers["Prefer"],
            request.ContentLength, (int)body.Length, context.Connection.Id));
        var response = context.Response;
        var path = request.Path.Value!;
        if (path == "/health/live")
        {
            await response.WriteAsync("Healthy", context.RequestAborted);
            return;
        }
        var answer = Encoding.UTF8.GetBytes($$"""{"received":{{body.Length}},"connection":"{{context.Connection.Id}}"}""");
        switch (path[..path.IndexOf('/', 1)])
        {
            case "/busy":
                response.StatusCode = 503;
                response.Headers.RetryAfter = "3";
                break;
            case "/chunked":
                response.StatusCode = 201;
                // Three flushed writes and no Content-Length: Kestrel sends chunks.
                for (var piece = 0; piece < 3; piece++)
                {
                    await response.Body.WriteAsync(Pattern(piece), context.RequestAborted);
                    await response.Body.FlushAsync(context.RequestAborted);
                }
                return;
            case "/close":
                response.StatusCode = 201;
                response.Headers.Connection = "close";
                break;
            case "/abort-once" when seen.Count(s => s.Path.StartsWith("/abort-once/", StringComparison.Ordinal)) == 1:
                context.Abort();
                return;
            case "/slow":
                // Far longer than any bound below, so a client that waited for the answer cannot pass on a slow machine.
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
                response.StatusCode = 201;
                break;
            default:
                response.StatusCode = request.Headers["Prefer"] == "respond-async" ? 202 : 201;
                break;
        }
        response.ContentLength = answer.Length;
        await response.Body.WriteAsync(answer, context.RequestAborted);
    }

    // Larger than the client's 16 KiB receive buffer, so chunks cross its refills.
    private static byte[] Pattern(int piece) => Enumerable.Range(0, 20_000).Select(i => (byte)('a' + ((i + piece) % 26))).ToArray();

    private RawHttpTransport Client(string basePath = "", TimeSpan? timeout = null) => new(new Uri(_address, basePath), Key, timeout);

    private static async Task<(TransportResult Result, string Body)> SendAsync(IRecordTransport client, TransportRequest request, RequestBuffer buffer)
    {
        var result = await client.SendAsync(request, request == TransportRequest.GetLive ? default : Record, buffer, CancellationToken.None);
        return (result, Encoding.UTF8.GetString(buffer.Response));
    }

    [Fact]
    public async Task A_201_comes_back_with_its_body_and_the_request_carries_the_fixed_headers()
    {
        using var client = Client();
        using var buffer = new RequestBuffer();

        var (first, body) = await SendAsync(client, TransportRequest.PostRecord, buffer);
        var (second, _) = await SendAsync(client, TransportRequest.PostBatch, buffer);

        Assert.Equal(new TransportResult(201, null, null), first);
        Assert.Equal(201, second.Status);
        Assert.StartsWith($$"""{"received":{{Record.Length}},""", body, StringComparison.Ordinal);
        var seen = _seen.ToArray();
        Assert.Equal(["/v1/records", "/v1/records/batch"], seen.Select(s => s.Path));
        Assert.All(seen, s =>
        {
            Assert.Equal(("POST", "application/json", Key, (string?)null, (long?)Record.Length, Record.Length), (s.Method, s.ContentType, s.ApiKey, s.Prefer, s.ContentLength, s.BodyBytes));
        });
        // Kept alive: both on one connection.
        Assert.Equal(seen[0].Connection, seen[1].Connection);
        Assert.Equal(1, client.ConnectionsOpened);
    }

    [Fact]
    public async Task Respond_async_sends_prefer_and_reads_the_202()
    {
        using var client = Client();
        using var buffer = new RequestBuffer();

        var (result, body) = await SendAsync(client, TransportRequest.PostRecordRespondAsync, buffer);

        Assert.Equal(202, result.Status);
        Assert.Contains("\"received\"", body, StringComparison.Ordinal);
        Assert.Equal("respond-async", Assert.Single(_seen).Prefer);
    }

    [Fact]
    public async Task A_503_brings_its_retry_after_and_body_and_keeps_the_connection()
    {
        using var client = Client("busy/");
        using var buffer = new RequestBuffer();

        var (result, body) = await SendAsync(client, TransportRequest.PostRecord, buffer);
        var (again, _) = await SendAsync(client, TransportRequest.PostRecord, buffer);

        Assert.Equal(new TransportResult(503, TimeSpan.FromSeconds(3), null), result);
        Assert.Equal(503, again.Status);
        Assert.Contains("\"received\"", body, StringComparison.Ordinal);
        Assert.Equal(["/busy/v1/records", "/busy/v1/records"], _seen.Select(s => s.Path));
        Assert.Equal(1, client.ConnectionsOpened);
    }

    [Fact]
    public async Task A_chunked_body_is_read_whole_and_the_connection_stays_usable()
    {
        using var client = Client("chunked/");
        using var buffer = new RequestBuffer();

        var (result, _) = await SendAsync(client, TransportRequest.PostRecord, buffer);
        var received = buffer.Response.ToArray();
        var (again, _) = await SendAsync(client, TransportRequest.PostRecord, buffer);

        Assert.Equal(201, result.Status);
        Assert.Equal(Pattern(0).Concat(Pattern(1)).Concat(Pattern(2)).ToArray(), received);
        Assert.Equal(201, again.Status);
        Assert.Equal(60_000, buffer.Response.Length);
        Assert.Equal(1, client.ConnectionsOpened);
    }

    [Fact]
    public async Task After_connection_close_the_next_request_goes_on_a_new_connection()
    {
        using var client = Client("close/");
        using var buffer = new RequestBuffer();

        var (first, _) = await SendAsync(client, TransportRequest.PostRecord, buffer);
        var (second, body) = await SendAsync(client, TransportRequest.PostRecord, buffer);

        Assert.Equal(201, first.Status);
        Assert.Equal(201, second.Status);
        Assert.Contains("\"received\"", body, StringComparison.Ordinal);
        var seen = _seen.ToArray();
        Assert.NotEqual(seen[0].Connection, seen[1].Connection);
        Assert.Equal(2, client.ConnectionsOpened);
    }

    [Fact]
    public async Task A_connection_broken_by_the_server_is_a_transport_error_and_the_next_request_reconnects()
    {
        using var client = Client("abort-once/");
        using var buffer = new RequestBuffer();

        var (broken, _) = await SendAsync(client, TransportRequest.PostRecord, buffer);
        var (next, body) = await SendAsync(client, TransportRequest.PostRecord, buffer);

        Assert.Equal(AttemptStatus.TransportError, broken.Status);
        Assert.False(string.IsNullOrEmpty(broken.Error));
        Assert.Equal(201, next.Status);
        Assert.Contains("\"received\"", body, StringComparison.Ordinal);
        Assert.Equal(2, client.ConnectionsOpened);
    }

    [Fact]
    public async Task The_warm_up_request_is_a_get_of_health_live()
    {
        using var client = Client();
        using var buffer = new RequestBuffer();

        var (result, body) = await SendAsync(client, TransportRequest.GetLive, buffer);

        Assert.Equal(200, result.Status);
        Assert.Equal("Healthy", body);
        var seen = Assert.Single(_seen);
        Assert.Equal(("GET", "/health/live", Key, 0), (seen.Method, seen.Path, seen.ApiKey, seen.BodyBytes));
    }

    [Fact]
    public async Task A_request_not_answered_in_time_is_a_timeout()
    {
        using var client = Client("slow/", TimeSpan.FromMilliseconds(300));
        using var buffer = new RequestBuffer();

        var started = Stopwatch.StartNew();
        var (result, _) = await SendAsync(client, TransportRequest.PostRecord, buffer);

        Assert.Equal(AttemptStatus.Timeout, result.Status);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), "The server's 60 s answer was waited for.");
    }

    [Fact]
    public async Task A_kept_alive_connection_the_server_closed_while_idle_is_replaced_without_a_failure()
    {
        var seen = new ConcurrentQueue<SeenRequest>();
        var closed = new ConcurrentQueue<string>();
        var (server, address) = await StartServerAsync(seen, keepAlive: TimeSpan.FromMilliseconds(100), closed);
        await using var _ = server;
        using var client = new RawHttpTransport(address, Key);
        using var buffer = new RequestBuffer();

        var first = await client.SendAsync(TransportRequest.PostRecord, Record, buffer, CancellationToken.None);
        // Kestrel checks keep-alive timeouts once a second, later on a loaded machine: wait until it has closed.
        await Eventually.TrueAsync(() => !closed.IsEmpty, TimeSpan.FromSeconds(30), "the server never closed the idle connection");
        var second = await client.SendAsync(TransportRequest.PostRecord, Record, buffer, CancellationToken.None);

        Assert.Equal(201, first.Status);
        Assert.Equal(201, second.Status);
        Assert.Equal(2, client.ConnectionsOpened);
        Assert.Equal(2, seen.Count);
    }
}
