using Kontakt.Core.Ingest;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

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
        await using var stall = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await stall.OpenAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", stall))
        {
            lockCommand.Parameters.AddWithValue("key", CommitOrdering.AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync();
        }

        var record = TestRecords.Valid(TestRecords.UniqueName());
        var request = new IngestRequest([record], callerWaits: true);
        Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(request, CancellationToken.None));

        var writerBackend = await WaitForBackendWaitingOnLockAsync(stall);
        await using (var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", stall))
        {
            kill.Parameters.AddWithValue("pid", writerBackend);
            Assert.True((bool)(await kill.ExecuteScalarAsync())!);
        }
        await stall.CloseAsync();

        var result = Assert.Single(await request.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(record.RecordId, result.RecordId);
        Assert.True(result.NewPatient);
        Assert.True(observer.TransientFailures >= 1, "the killed connection should have been seen as a transient failure");
        Assert.Equal(0, observer.Failed);
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", record.RecordId)));

        queue.Complete();
        await running;
    }

    private static async Task<int> WaitForBackendWaitingOnLockAsync(NpgsqlConnection connection)
    {
        const string Sql = """
            SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> pg_backend_pid()
            """;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var find = new NpgsqlCommand(Sql, connection);
            if (await find.ExecuteScalarAsync() is int pid)
            {
                return pid;
            }
            Assert.True(DateTime.UtcNow < deadline, "the writer never reached the commit lock");
            await Task.Delay(10);
        }
    }
}
