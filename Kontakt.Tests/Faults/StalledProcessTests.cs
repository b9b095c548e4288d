using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Kontakt.Tests.Faults;

/// <summary>One of two API processes frozen (SIGSTOP) in the middle of its work, as a GC pause or a partition would.</summary>
[Collection(FaultTests.Name)]
public sealed class StalledProcessTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_stopped_process_holds_nobody_up_and_loses_nothing_it_acknowledged()
    {
        await using var stalled = await ApiProcess.StartAsync(database);
        await using var healthy = await ApiProcess.StartAsync(database);
        var stalledLoad = IngestLoad.Start(() => stalled.Client, clients: 8, respondAsync: false, prefix: "stopped");
        var healthyLoad = IngestLoad.Start(() => healthy.Client, clients: 8, respondAsync: false, prefix: "running");
        await FaultTests.AcknowledgedAsync(stalledLoad, 300);
        await FaultTests.AcknowledgedAsync(healthyLoad, 300);

        stalled.Signal(Signals.Stop);
        try
        {
            // Whatever the frozen process held (the commit-order lock mid-batch included), the other keeps committing.
            var before = healthyLoad.Acknowledged.Count;
            await Eventually.TrueAsync(() => Task.FromResult(healthyLoad.Acknowledged.Count >= before + 500),
                TimeSpan.FromSeconds(45), "the running process stopped committing while the other was frozen");
            output.WriteLine($"SIGSTOP: {healthyLoad.Acknowledged.Count - before} records committed by the running process while the other was frozen");
        }
        finally
        {
            stalled.Signal(Signals.Continue);
        }

        await FaultTests.AcknowledgedAsync(stalledLoad, stalledLoad.Acknowledged.Count + 100);
        await stalledLoad.DisposeAsync();
        await healthyLoad.DisposeAsync();
        var acknowledged = stalledLoad.Acknowledged.Concat(healthyLoad.Acknowledged).ToArray();
        Assert.Equal(acknowledged.Length, await FaultTests.StoredAsync(database, acknowledged));
        Assert.Equal(HttpStatusCode.OK, await healthy.ReadyStatusAsync());
    }

    [Fact]
    public async Task A_process_stopped_while_its_batch_answer_travels_holds_nobody_up()
    {
        const string stalledApplication = "kontakt-stalled-writer";
        await using var stalled = await ApiProcess.StartAsync(database, new Dictionary<string, string?>
        {
            // Its writer's session is recognizable in pg_locks, and its batch is large: the answer (one row per
            // record, 80,000 rows, about 5 MB) is more than the sockets buffer while nobody reads it, so a writer
            // that still held the commit-order lock while its answer travelled would hold it until SIGCONT.
            ["ConnectionStrings:Kontakt"] = $"{database.RuntimeConnectionString};Application Name={stalledApplication}",
            ["Kontakt:Ingest:Writers"] = "1",
            ["Kontakt:Ingest:MaxBatchSize"] = "100000",
        });
        await using var healthy = await ApiProcess.StartAsync(database);
        var healthyLoad = IngestLoad.Start(() => healthy.Client, clients: 4, respondAsync: false, prefix: "beside");
        await FaultTests.AcknowledgedAsync(healthyLoad, 100);

        // The lock held here while the frozen-to-be process queues 80,000 records: its writer commits the batch
        // it had already taken once the lock is free, then takes all the rest in one batch.
        var accepted = new ConcurrentQueue<string>();
        await using (var holder = await database.DataSource.OpenConnectionAsync())
        {
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", holder, transaction))
            {
                take.Parameters.AddWithValue("key", CommitOrdering.AdvisoryLockKey);
                await take.ExecuteNonQueryAsync();
            }
            using var stopBatches = new CancellationTokenSource();
            var batchSenders = Enumerable.Range(0, 4)
                .Select(sender => Task.Run(() => SendLargeBatchesAsync(stalled.Client, $"large-{sender}", accepted, stopBatches.Token)))
                .ToArray();
            await Eventually.TrueAsync(() => accepted.Count >= 80_000, TimeSpan.FromSeconds(120), "the large batches were not accepted");
            await stopBatches.CancelAsync();
            await Task.WhenAll(batchSenders);
            await transaction.RollbackAsync();
        }
        var acceptedIds = accepted.ToArray();
        await Eventually.TrueAsync(async () => await FaultTests.StoredAsync(database, acceptedIds) > 0, FaultTests.CommitDeadline,
            "the first batch of the large records was not committed");

        // Frozen the moment its writer holds the commit-order lock again: in the middle of the large batch's commit.
        await Eventually.TrueAsync(
            () => database.ScalarAsync<bool>(HoldsCommitLock, ("application", stalledApplication), ("key", CommitOrdering.AdvisoryLockKey)),
            TimeSpan.FromSeconds(60), "the stalled process never took the commit-order lock for its large batch");
        stalled.Signal(Signals.Stop);
        try
        {
            // The large batch's own work in the server (tens of seconds on a loaded machine) ends by itself and
            // frees the lock; what must not keep holding it is the answer waiting to be read, until SIGCONT.
            var holding = TimeSpan.FromSeconds(120);
            await Eventually.TrueAsync(
                async () => !await database.ScalarAsync<bool>(HoldsCommitLock, ("application", stalledApplication), ("key", CommitOrdering.AdvisoryLockKey)),
                holding, $"the frozen process's session kept the commit-order lock: {await SessionsAsync(stalledApplication)}");
            var before = healthyLoad.Acknowledged.Count;
            await Eventually.TrueAsync(() => healthyLoad.Acknowledged.Count >= before + 200, TimeSpan.FromSeconds(30),
                "the running process did not commit while the other was frozen");
            output.WriteLine($"SIGSTOP mid-commit of a {acceptedIds.Length:N0}-record backlog: the lock was free again while the process was frozen; " +
                $"{healthyLoad.Acknowledged.Count - before} records committed by the running process meanwhile");
        }
        finally
        {
            stalled.Signal(Signals.Continue);
        }

        await healthyLoad.DisposeAsync();
        var acknowledged = acceptedIds.Concat(healthyLoad.Acknowledged).ToArray();
        await Eventually.TrueAsync(async () => await FaultTests.StoredAsync(database, acknowledged) == acknowledged.Length,
            FaultTests.CommitDeadline, "records acknowledged by the two processes are missing");
        Assert.Equal(HttpStatusCode.OK, await stalled.ReadyStatusAsync());
    }

    private async Task<string> SessionsAsync(string application)
    {
        var sessions = await database.ListAsync(
            "SELECT concat_ws(' ', state, wait_event_type, wait_event, left(query, 40)) FROM pg_stat_activity WHERE application_name = @application",
            r => r.GetString(0), ("application", application));
        return string.Join("; ", sessions);
    }

    private const string HoldsCommitLock = """
        SELECT EXISTS (
            SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = @application
              AND l.classid::bigint = (@key >> 32) AND l.objid::bigint = (@key & 4294967295))
        """;

    /// <summary>Posts batches of 10,000 records (one new person each batch) with <c>Prefer: respond-async</c> until stopped; keeps the recordIds answered 202.</summary>
    private static async Task SendLargeBatchesAsync(HttpClient client, string prefix, ConcurrentQueue<string> accepted, CancellationToken stop)
    {
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            // One person per batch, so that building the body costs little; every record still gets its own answer row.
            var name = TestRecords.UniqueName("Large");
            var recordIds = Enumerable.Range(0, 10_000).Select(i => $"{prefix}-{batch}-{i}").ToArray();
            var body = new StringBuilder("[");
            foreach (var recordId in recordIds)
            {
                body.Append(body.Length > 1 ? "," : "").Append(CultureInfo.InvariantCulture,
                    $$"""{"name":"{{name}}","dob":"1980-04-01","favoriteColor":"green","recordId":"{{recordId}}"}""");
            }
            body.Append(']');
            try
            {
                using var response = await client.PostJsonTextAsync("/v1/records/batch", body.ToString(), "respond-async");
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    foreach (var recordId in recordIds)
                    {
                        accepted.Enqueue(recordId);
                    }
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
        }
    }
}
