using System.Net;
using System.Text;
using Kontakt.Core.Ingest;
using Kontakt.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kontakt.Tests.Imports;

/// <summary>A job queues nothing while the ingest queue is more than half full: interactive requests come first.</summary>
public sealed class ImportYieldTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_job_waits_while_the_queue_is_more_than_half_full_and_goes_on_once_it_drains()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Ingest:QueueCapacity"] = "100",
            ["Kontakt:Imports:BatchLines"] = "10",
            ["Kontakt:Imports:PollInterval"] = "00:00:00.100",
        });
        using var client = factory.CreateClient();
        var queue = factory.Services.GetRequiredService<IngestQueue>();

        var stall = await CommitStall.HoldAsync(database.ConnectionString);
        for (var i = 0; i < 60; i++)
        {
            using var response = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName("Interactive")), "respond-async");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        Assert.Equal(60, queue.PendingRecords);

        var csv = new StringBuilder("name,dob\n");
        for (var i = 0; i < 30; i++)
        {
            csv.Append(TestRecords.UniqueName("Imported")).Append(",1970-01-01\n");
        }
        var jobId = await client.StartImportAsync(csv.ToString());
        await Eventually.TrueAsync(async () => (await client.GetJobAsync(jobId)).GetProperty("status").GetString() == "running",
            TimeSpan.FromSeconds(30), "the job never started");
        await Task.Delay(TimeSpan.FromSeconds(1));
        // Started, and still holding back: 60 of 100 are taken by interactive records.
        Assert.Equal(60, queue.PendingRecords);
        Assert.Equal(0, (await client.GetJobAsync(jobId)).GetProperty("received").GetInt64());

        await stall.DisposeAsync();
        var job = await client.FinishedJobAsync(jobId);
        Assert.Equal(30, job.GetProperty("stored").GetInt64());
    }
}
