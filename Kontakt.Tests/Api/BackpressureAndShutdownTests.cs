using System.Net;
using Kontakt.Core.Ingest;
using Kontakt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kontakt.Tests.Api;

public sealed class BackpressureAndShutdownTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly Dictionary<string, string?> TinyQueue = new()
    {
        ["Kontakt:Ingest:QueueCapacity"] = "10",
        ["Kontakt:Ingest:EnqueueTimeout"] = "00:00:00.050",
        ["Kontakt:Ingest:Writers"] = "1",
    };

    private Task<long> StoredAsync(IEnumerable<string> recordIds) =>
        database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)", ("ids", recordIds.ToArray()));

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after_and_loses_nothing_it_acknowledged()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, TinyQueue);
        using var client = factory.CreateClient();
        var stall = await CommitStall.HoldAsync(database.ConnectionString);

        var accepted = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var id = $"bp-{i}-{Guid.NewGuid():N}";
            var response = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: id), prefer: "respond-async");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            accepted.Add(id);
        }

        var rejectedId = $"bp-over-{Guid.NewGuid():N}";
        var overloaded = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: rejectedId));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, overloaded.StatusCode);
        Assert.Equal("application/problem+json", overloaded.Content.Headers.ContentType?.MediaType);
        Assert.True(overloaded.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        var batchOverloaded = await client.PostJsonTextAsync("/v1/records/batch",
            System.Text.Json.JsonSerializer.Serialize(new[] { ApiJson.Record(TestRecords.UniqueName()) }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, batchOverloaded.StatusCode);

        await stall.DisposeAsync();
        await Eventually.TrueAsync(async () => await StoredAsync(accepted) == accepted.Count,
            TimeSpan.FromSeconds(15), "acknowledged records were not committed after the stall ended");
        Assert.Equal(0, await StoredAsync([rejectedId]));

        var afterwards = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName()));
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);
    }

    [Fact]
    public async Task A_batch_larger_than_the_whole_queue_is_413_not_a_503_to_retry_forever()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, TinyQueue);
        using var client = factory.CreateClient();
        var batch = System.Text.Json.JsonSerializer.Serialize(Enumerable.Range(0, 11).Select(_ => ApiJson.Record(TestRecords.UniqueName())));
        var response = await client.PostJsonTextAsync("/v1/records/batch", batch);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Shutdown_drains_and_commits_every_accepted_record_including_202s()
    {
        var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?> { ["Kontakt:Ingest:Writers"] = "1" });
        using var client = factory.CreateClient();
        var stall = await CommitStall.HoldAsync(database.ConnectionString);

        var accepted = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            var id = $"sd-{i}-{Guid.NewGuid():N}";
            var response = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), recordId: id), prefer: "respond-async");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            accepted.Add(id);
        }
        Assert.Equal(0, await StoredAsync(accepted));

        var queue = factory.Services.GetRequiredService<IngestQueue>();
        var stopping = factory.DisposeAsync().AsTask();
        // Shutdown has reached the drain once it closes the queue; the stalled records cannot commit yet.
        await Eventually.TrueAsync(() => queue.IsClosed || stopping.IsCompleted, TimeSpan.FromSeconds(15), "shutdown never closed the queue");
        Assert.False(stopping.IsCompleted, "shutdown must wait for accepted records to be committed");
        Assert.Equal(accepted.Count, queue.PendingRecords);
        await stall.DisposeAsync();
        await stopping;

        Assert.Equal(accepted.Count, await StoredAsync(accepted));
    }
}
