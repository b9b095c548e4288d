using System.Net;
using Kontakt.Api.Endpoints;
using Kontakt.Core.Temporal;
using Kontakt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kontakt.Tests.Temporal;

public sealed class SnapshotExportLimitTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = fixture.Client;

    private static void AssertTooMany(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(SnapshotGate.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public void The_gate_admits_the_configured_number_and_frees_a_slot_when_an_export_ends()
    {
        using var gate = new SnapshotGate(Microsoft.Extensions.Options.Options.Create(new SnapshotOptions { MaxConcurrent = 4 }));
        var held = Enumerable.Range(0, 4).Select(_ => gate.TryEnter()).ToList();
        Assert.All(held, Assert.NotNull);
        Assert.Null(gate.TryEnter());

        held[0]!.Dispose();
        held[0]!.Dispose(); // a second release must not free a second slot
        using var again = gate.TryEnter();
        Assert.NotNull(again);
        Assert.Null(gate.TryEnter());
        foreach (var slot in held.Skip(1))
        {
            slot!.Dispose();
        }
    }

    [Fact]
    public async Task With_four_exports_running_a_fifth_is_429_with_retry_after_while_ingest_still_commits()
    {
        var services = fixture.Factory.Services;
        var gate = services.GetRequiredService<SnapshotGate>();
        var pool = services.GetRequiredKeyedService<NpgsqlDataSource>("snapshots");
        var posted = await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: "red"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var cachedAsOf = (await (await _client.GetAsync("/v1/snapshots/public/manifest")).JsonAsync()).GetProperty("asOf").GetString()!;

        // Four exports in flight: their slots and every connection of the exports' own pool, each inside a transaction.
        var slots = Enumerable.Range(0, 4).Select(_ => gate.TryEnter()).ToList();
        var connections = new List<NpgsqlConnection>();
        try
        {
            Assert.All(slots, Assert.NotNull);
            for (var i = 0; i < 4; i++)
            {
                var connection = await pool.OpenConnectionAsync();
                connections.Add(connection);
                await using var begin = new NpgsqlCommand("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM public_store.patients", connection);
                await begin.ExecuteScalarAsync();
            }

            AssertTooMany(await _client.GetAsync("/v1/snapshots/public", HttpCompletionOption.ResponseHeadersRead));
            AssertTooMany(await _client.GetAsync("/v1/snapshots/public/manifest?asOf=2000-01-01T00:00:00Z"));

            // A manifest already computed is served from memory, without a slot or a connection.
            var cached = await _client.GetAsync($"/v1/snapshots/public/manifest?asOf={Uri.EscapeDataString(cachedAsOf)}");
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);

            // Writers use their own pool: single and batch ingest still commit.
            Assert.Equal(HttpStatusCode.Created, (await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: "blue"))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonTextAsync("/v1/records/batch",
                System.Text.Json.JsonSerializer.Serialize(new[] { ApiJson.Record(TestRecords.UniqueName()), ApiJson.Record(TestRecords.UniqueName()) }))).StatusCode);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
            foreach (var slot in slots)
            {
                slot?.Dispose();
            }
        }

        var export = await _client.GetAsync("/v1/snapshots/public");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
    }

    [Fact]
    public async Task A_manifest_served_twice_for_one_as_of_is_identical_and_cached()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: "green"))).StatusCode);
        var first = await _client.GetStringAsync("/v1/snapshots/public/manifest");
        var asOf = System.Text.Json.JsonDocument.Parse(first).RootElement.GetProperty("asOf").GetString()!;
        Assert.True(fixture.Factory.Services.GetRequiredService<PublicSnapshot>().HasCachedManifest(SystemTimeOf(asOf)));

        var second = await _client.GetStringAsync($"/v1/snapshots/public/manifest?asOf={Uri.EscapeDataString(asOf)}");

        Assert.Equal(first, second);
    }

    private static DateTimeOffset SystemTimeOf(string text)
    {
        Assert.True(SystemTime.TryParse(text, out var value));
        return value;
    }
}
