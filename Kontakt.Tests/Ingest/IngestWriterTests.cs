using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kontakt.Tests.Ingest;

public sealed class IngestWriterTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly IngestOptions Options = new() { QueueCapacity = 1_000, MaxBatchSize = 500, MaxBatchDelay = TimeSpan.FromMilliseconds(50) };

    private async Task<(IngestQueue Queue, Task Running)> StartWriterAsync(IngestObserver observer, params IReadOnlyList<IngestRequest> queuedBeforeStart)
    {
        var queue = new IngestQueue(Microsoft.Extensions.Options.Options.Create(Options));
        foreach (var request in queuedBeforeStart)
        {
            Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(request, CancellationToken.None));
        }
        var store = new PostgresBatchWriter(database.DataSource);
        var writer = new IngestWriter(queue, store, Options, observer, NullLogger<IngestWriter>.Instance);
        var running = Task.Run(async () =>
        {
            await using (store)
            {
                await writer.RunAsync(CancellationToken.None);
            }
        });
        await Task.Yield();
        return (queue, running);
    }

    [Fact]
    public async Task A_record_the_database_refuses_fails_only_its_own_request()
    {
        var observer = new IngestObserver();
        var (queue, running) = await StartWriterAsync(observer);

        var innocent = Enumerable.Range(0, 20).Select(_ => new IngestRequest([TestRecords.Valid(TestRecords.UniqueName())], callerWaits: true)).ToList();
        // Validation keeps NUL out of real traffic; built directly, it is a record PostgreSQL refuses.
        var poison = TestRecords.Valid(TestRecords.UniqueName()) with { Name = "Poison\u0000Pill" };
        var poisoned = new IngestRequest([TestRecords.Valid(TestRecords.UniqueName()), poison, TestRecords.Valid(TestRecords.UniqueName())], callerWaits: true);
        innocent.Insert(10, poisoned);

        foreach (var request in innocent)
        {
            Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(request, CancellationToken.None));
        }
        queue.Complete();
        await running;

        var outcomes = await poisoned.Completion;
        Assert.IsType<RecordOutcome.Stored>(outcomes[0]);
        var refused = Assert.IsType<RecordOutcome.Refused>(outcomes[1]);
        Assert.IsType<RecordOutcome.Stored>(outcomes[2]);
        Assert.DoesNotContain("Poison", refused.Reason, StringComparison.Ordinal);
        foreach (var request in innocent.Where(r => r != poisoned))
        {
            var result = Assert.Single(await request.Completion).ResultOf();
            Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", result.RecordId)));
        }
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = @id", ("id", poison.RecordId)));
        Assert.Equal(1, observer.Failed);
        Assert.True(observer.Splits > 0);
        Assert.Equal(0, queue.PendingRecords);
    }

    [Fact]
    public async Task A_refused_record_in_an_atomic_request_stores_none_of_that_request_and_all_of_its_neighbours()
    {
        var plain = Enumerable.Range(0, 12)
            .Select(i => new IngestRequest([TestRecords.Valid(TestRecords.UniqueName()), TestRecords.Valid(TestRecords.UniqueName())], callerWaits: true, atomic: i % 2 == 0))
            .ToList();
        var poison = TestRecords.Valid(TestRecords.UniqueName()) with { Name = "Poison\u0000Pill" };
        var atomic = new IngestRequest(
            [TestRecords.Valid(TestRecords.UniqueName()), TestRecords.Valid(TestRecords.UniqueName()), poison, TestRecords.Valid(TestRecords.UniqueName())],
            callerWaits: false, atomic: true);
        var requests = plain.Take(6).Append(atomic).Concat(plain.Skip(6)).ToList();

        // Queued before the writer starts, so the atomic request shares one batch with the others.
        var observer = new IngestObserver();
        var (queue, running) = await StartWriterAsync(observer, requests);
        queue.Complete();
        await running;

        var outcomes = await atomic.Completion;
        Assert.All(outcomes, o => Assert.IsType<RecordOutcome.Refused>(o));
        var atomicIds = atomic.Records.Select(r => r.RecordId).ToArray();
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)", ("ids", atomicIds)));
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.patients WHERE name_key = ANY(@keys)", ("keys", atomic.Records.Select(r => r.NameKey).ToArray())));
        Assert.Equal(4, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.dead_letters WHERE record_id = ANY(@ids) AND code = 'refused'", ("ids", atomicIds)));

        var storedIds = plain.SelectMany(r => r.Records).Select(r => r.RecordId).ToArray();
        foreach (var request in plain)
        {
            Assert.All(await request.Completion, o => Assert.IsType<RecordOutcome.Stored>(o));
        }
        Assert.Equal(storedIds.Length, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)", ("ids", storedIds)));
        Assert.Equal(1, observer.Batches);
        Assert.True(observer.Splits > 0);
    }

    [Fact]
    public async Task Completing_the_queue_drains_every_accepted_record_before_the_writer_stops()
    {
        var observer = new IngestObserver();
        var (queue, running) = await StartWriterAsync(observer);
        var requests = Enumerable.Range(0, 300).Select(_ => new IngestRequest([TestRecords.Valid(TestRecords.UniqueName())], callerWaits: false)).ToList();
        foreach (var request in requests)
        {
            Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(request, CancellationToken.None));
        }
        queue.Complete();
        Assert.Equal(EnqueueOutcome.Closed, await queue.EnqueueAsync(new IngestRequest([TestRecords.Valid("Late Comer")], true), CancellationToken.None));
        await running;

        var ids = requests.Select(r => r.Records[0].RecordId).ToArray();
        Assert.Equal(ids.Length, await database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)", ("ids", ids)));
        Assert.Equal(300, observer.Committed);
    }

    [Fact]
    public async Task Requests_are_grouped_into_batches_and_each_gets_its_own_results()
    {
        var observer = new IngestObserver();
        var (queue, running) = await StartWriterAsync(observer);
        var name = TestRecords.UniqueName();
        var requests = Enumerable.Range(0, 50)
            .Select(i => new IngestRequest([TestRecords.Valid(name, color: $"#{i:x6}"), TestRecords.Valid(TestRecords.UniqueName())], callerWaits: true))
            .ToList();
        foreach (var request in requests)
        {
            await queue.EnqueueAsync(request, CancellationToken.None);
        }
        var results = (await Task.WhenAll(requests.Select(r => r.Completion))).Select(TestRecords.Stored).ToArray();
        queue.Complete();
        await running;

        Assert.All(results, r => Assert.Equal(2, r.Length));
        Assert.Single(results.Select(r => r[0].PatientId).Distinct());
        Assert.Equal(1, results.Count(r => r[0].NewPatient));
        Assert.True(observer.Batches < 50, $"expected group commit, got {observer.Batches} batches for 50 requests");
        Assert.Equal("#000031", await database.ScalarAsync<string>(
            "SELECT favorite_color FROM public_store.patients WHERE patient_id = @id", ("id", results[0][0].PatientId)));
    }
}
