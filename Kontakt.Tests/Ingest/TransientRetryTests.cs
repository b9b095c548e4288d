using Kontakt.Core.Ingest;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kontakt.Tests.Ingest;

public sealed class TransientRetryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_writer_whose_connection_is_killed_mid_batch_retries_and_stores_the_record_once()
    {
        var options = new IngestOptions { QueueCapacity = 100, MaxBatchDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.FromMilliseconds(50) };
        var queue = new IngestQueue(Microsoft.Extensions.Options.Options.Create(options));
        var observer = new IngestObserver();
        await using var store = new PostgresBatchWriter(database.DataSource);
        var writer = new IngestWriter(queue, store, options, observer, NullLogger<IngestWriter>.Instance);
        var running = Task.Run(() => writer.RunAsync(CancellationToken.None));

        // Hold the commit lock so the writer's transaction stops, mid-batch, where we can find it.
        await using var stall = await CommitStall.HoldAsync(database.ConnectionString);

        var record = TestRecords.Valid(TestRecords.UniqueName());
        var request = new IngestRequest([record], callerWaits: true);
        Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(request, CancellationToken.None));

        var writerBackend = Assert.Single(await stall.WaitForWritersAsync(1));
        await stall.TerminateAsync(writerBackend);
        await stall.DisposeAsync();

        var result = Assert.Single(await request.Completion.WaitAsync(TimeSpan.FromSeconds(30))).ResultOf();
        Assert.Equal(record.RecordId, result.RecordId);
        Assert.True(result.NewPatient);
        Assert.True(observer.RetriedFailures >= 1, "the killed connection should have been retried");
        Assert.Equal(0, observer.Failed);
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", record.RecordId)));

        queue.Complete();
        await running;
    }
}
