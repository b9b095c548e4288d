using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Ingest;

/// <summary>A database that refuses every write for longer than the writer's retry bound (MaxWriteAttempts).</summary>
public sealed class StorageUnavailableTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Past_the_retry_bound_waiting_callers_hear_unavailable_at_once_and_async_records_are_dead_lettered_once_possible()
    {
        var options = new IngestOptions { QueueCapacity = 100, MaxRetryDelay = TimeSpan.FromMilliseconds(50), MaxWriteAttempts = 3 };
        var queue = new IngestQueue(Microsoft.Extensions.Options.Options.Create(options));
        var waiting = new IngestRequest([TestRecords.Valid(TestRecords.UniqueName())], callerWaits: true);
        var answeredAsync = new IngestRequest([TestRecords.Valid(TestRecords.UniqueName()), TestRecords.Valid(TestRecords.UniqueName())], callerWaits: false);
        Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(waiting, CancellationToken.None));
        Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(answeredAsync, CancellationToken.None));
        var asyncIds = answeredAsync.Records.Select(r => r.RecordId).ToArray();
        var observer = new IngestObserver();
        var log = new ListLogger<IngestWriter>();

        await ReadOnlyDatabase.SetAsync(database, true);
        Task running;
        var store = new PostgresBatchWriter(database.DataSource);
        try
        {
            var writer = new IngestWriter(queue, store, options, observer, log);
            running = Task.Run(() => writer.RunAsync(CancellationToken.None));

            var outcome = Assert.Single(await waiting.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.IsType<RecordOutcome.Unavailable>(outcome);
            // Counted from the log, not observer.RetriedFailures: that also counts the dead letters' failed
            // attempts, which begin as soon as the waiting caller has its answer.
            lock (log.Entries)
            {
                Assert.Equal(options.MaxWriteAttempts - 1, log.Entries.Count(e => e.Message.StartsWith("Batch of 3 records failed (attempt", StringComparison.Ordinal)));
                Assert.Single(log.Entries, e => e.Message.StartsWith($"Batch of 3 records failed {options.MaxWriteAttempts} times", StringComparison.Ordinal));
            }

            // Its dead letters cannot be written while the database is read-only either: held, not dropped.
            await Task.Delay(500);
            Assert.False(answeredAsync.Completion.IsCompleted);
            Assert.NotNull(queue.Queued.ReceivedAt(TestRecords.Client, asyncIds[0]));
        }
        finally
        {
            await ReadOnlyDatabase.SetAsync(database, false);
        }

        Assert.All(await answeredAsync.Completion.WaitAsync(TimeSpan.FromSeconds(30)), o => Assert.IsType<RecordOutcome.Unavailable>(o));
        queue.Complete();
        await running;
        await store.DisposeAsync();
        Assert.Equal(3, observer.Unavailable);
        Assert.Null(queue.Queued.ReceivedAt(TestRecords.Client, asyncIds[0]));
        Assert.Equal(2, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.dead_letters WHERE record_id = ANY(@ids) AND code = 'storage_unavailable'", ("ids", asyncIds)));
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)", ("ids", asyncIds.Append(waiting.Records[0].RecordId).ToArray())));

        var statuses = new RecordStatusQueries(database.DataSource);
        var failed = await statuses.FindAsync(TestRecords.Client, asyncIds[0], CancellationToken.None);
        Assert.Equal(RecordStatus.Failed, failed?.Status);
        Assert.Equal(FailedRecord.StorageUnavailableCode, failed?.Error?.Code);
        Assert.Null(await statuses.FindAsync(TestRecords.Client, waiting.Records[0].RecordId, CancellationToken.None));

        // The record did get stored after all (here: sent again with the same recordId): committed wins over the dead letter.
        await using (var retry = new PostgresBatchWriter(database.DataSource))
        {
            Assert.IsType<RecordOutcome.Stored>(Assert.Single(await retry.WriteAsync([answeredAsync.Records[0]], CancellationToken.None)));
        }
        Assert.Equal(RecordStatus.Committed, (await statuses.FindAsync(TestRecords.Client, asyncIds[0], CancellationToken.None))?.Status);
    }
}
