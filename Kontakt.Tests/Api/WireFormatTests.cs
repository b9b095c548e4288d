using System.Net;
using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

/// <summary>What the answers look like on a real socket (Kestrel, not the in-memory test server).</summary>
public sealed class WireFormatTests(KestrelApiFixture fixture) : IClassFixture<KestrelApiFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("/v1/records", null, HttpStatusCode.Created)]
    [InlineData("/v1/records", "respond-async", HttpStatusCode.Accepted)]
    [InlineData("/v1/records/batch", null, HttpStatusCode.Created)]
    [InlineData("/v1/records/batch", "respond-async", HttpStatusCode.Accepted)]
    public async Task Acknowledgements_go_out_whole_with_their_length_and_no_server_banner(string path, string? prefer, HttpStatusCode expected)
    {
        // The busiest answer of the service: one write with a Content-Length, not a chunked stream
        // (which cost a second write for the closing chunk), and no "Server: Kestrel" advertisement.
        var record = ApiJson.Record(TestRecords.UniqueName());
        var json = path.EndsWith("/batch", StringComparison.Ordinal) ? JsonSerializer.Serialize(new[] { record }) : JsonSerializer.Serialize(record);

        var response = await _client.PostJsonTextAsync(path, json, prefer);

        Assert.Equal(expected, response.StatusCode);
        // A real socket: the in-memory test server would answer on port 80 and buffer every body.
        Assert.NotEqual(80, _client.BaseAddress!.Port);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Headers.Server);
        using var parsed = JsonDocument.Parse(body);
        Assert.Contains(parsed.RootElement.ValueKind, new[] { JsonValueKind.Object, JsonValueKind.Array });
    }
}
