using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Kontakt.Core.Ingest;

/// <summary>
/// One background writer: takes requests off the queue until a batch is full or the batch
/// delay passes, commits them in one transaction, and only then completes the waiting
/// requests (group commit). A failing batch must not fail innocent records: transient
/// errors are retried, any other failure splits the batch — at request boundaries first, so an
/// atomic request is never split — until the refused request or record is alone.
/// </summary>
public sealed partial class IngestWriter(
    IngestQueue queue,
    PostgresBatchWriter store,
    IngestOptions options,
    IngestObserver observer,
    ILogger<IngestWriter> logger)
{
    /// <summary>Writes batches until the queue is completed and drained, or <paramref name="abort"/> fires.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        var reader = queue.Reader;
        var batch = new List<IngestRequest>();
        while (await reader.WaitToReadAsync(abort))
        {
            var records = await CollectBatchAsync(batch, abort);
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                await CommitAsync(batch, records, abort);
            }
            finally
            {
                queue.Release(records);
                batch.Clear();
            }
        }
    }

    private async Task<int> CollectBatchAsync(List<IngestRequest> batch, CancellationToken abort)
    {
        var reader = queue.Reader;
        var records = 0;
        TakeAvailable();
        if (records >= options.MaxBatchSize || options.MaxBatchDelay <= TimeSpan.Zero || batch.Count == 0)
        {
            return records;
        }

        using var linger = CancellationTokenSource.CreateLinkedTokenSource(abort);
        linger.CancelAfter(options.MaxBatchDelay);
        try
        {
            while (records < options.MaxBatchSize && await reader.WaitToReadAsync(linger.Token))
            {
                var before = batch.Count;
                TakeAvailable();
                if (batch.Count == before)
                {
                    // The next request does not fit this batch: commit now rather than spin until the delay ends.
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!abort.IsCancellationRequested)
        {
            // The batch delay ran out: commit what we have.
        }
        return records;

        void TakeAvailable()
        {
            while (records < options.MaxBatchSize
                   && reader.TryPeek(out var next)
                   && (batch.Count == 0 || records + next.Records.Count <= options.MaxBatchSize)
                   && reader.TryRead(out var request))
            {
                batch.Add(request);
                records += request.Records.Count;
            }
        }
    }

    private async Task CommitAsync(List<IngestRequest> batch, int recordCount, CancellationToken abort)
    {
        using var span = IngestTracing.StartBatchCommit(batch, recordCount);
        var records = new ValidatedRecord[recordCount];
        // starts[i] is the position of request i's first record; starts[batch.Count] is the end.
        var starts = new int[batch.Count + 1];
        var offset = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            starts[i] = offset;
            foreach (var record in batch[i].Records)
            {
                records[offset++] = record;
            }
        }
        starts[batch.Count] = offset;

        var outcomes = new RecordOutcome[recordCount];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        observer.BatchStarted(this, batch[0].EnqueuedAt);
        try
        {
            await WriteRequestsIsolatingFailuresAsync(new BatchLayout(batch, starts, records, outcomes), 0, batch.Count, abort);
        }
        finally
        {
            observer.BatchFinished(this);
        }
        if (Array.Exists(outcomes, o => o is not RecordOutcome.Unavailable))
        {
            observer.BatchCommitted(recordCount, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }

        // Callers waiting (201) hear back first: none of their records is dead-lettered, so they need not
        // wait for the dead letters of their 202 neighbours (which wait for the database when it is away).
        CompleteRequests(batch, starts, outcomes, callerWaits: true);
        await DeadLetterRetryingAsync(batch, outcomes, abort);
        CompleteRequests(batch, starts, outcomes, callerWaits: false);
    }

    private void CompleteRequests(List<IngestRequest> batch, int[] starts, RecordOutcome[] outcomes, bool callerWaits)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            if (request.CallerWaits != callerWaits)
            {
                continue;
            }
            // It leaves the queued list before its caller hears back; a 202 record only once its outcome is in the database.
            queue.Queued.Remove(request);
            Complete(request, new ArraySegment<RecordOutcome>(outcomes, starts[i], request.Records.Count));
        }
    }

    /// <summary>
    /// Stores the failures of records answered 202 (nobody waits to hear of them) after the batch's own
    /// commit, retrying like a batch: a failure is never only logged.
    /// </summary>
    private async Task DeadLetterRetryingAsync(List<IngestRequest> batch, RecordOutcome[] outcomes, CancellationToken abort)
    {
        var failed = new List<FailedRecord>();
        var offset = 0;
        foreach (var request in batch)
        {
            for (var i = 0; i < request.Records.Count; i++)
            {
                if (!request.CallerWaits && FailedRecord.From(request.Records[i], outcomes[offset + i]) is { } failure)
                {
                    failed.Add(failure);
                }
            }
            offset += request.Records.Count;
        }
        if (failed.Count == 0)
        {
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.DeadLetterAsync(failed, abort);
                observer.RecordsDeadLettered(failed.Count);
                return;
            }
            catch (Exception error) when (!abort.IsCancellationRequested)
            {
                observer.RetriedFailure();
                var delay = RetryDelay(attempt);
                LogDeadLetterRetried(logger, failed.Count, attempt, delay.TotalMilliseconds, error);
                await Task.Delay(delay, abort);
            }
        }
    }

    private void Complete(IngestRequest request, ArraySegment<RecordOutcome> outcomes)
    {
        int refused = 0, conflicts = 0, unavailable = 0;
        var firstLost = -1;
        for (var i = 0; i < outcomes.Count; i++)
        {
            switch (outcomes[i])
            {
                case RecordOutcome.Refused:
                    refused++;
                    break;
                case RecordOutcome.Conflict:
                    conflicts++;
                    break;
                case RecordOutcome.Unavailable:
                    unavailable++;
                    break;
                default:
                    continue;
            }
            if (firstLost < 0)
            {
                firstLost = i;
            }
        }
        observer.RecordsCommitted(outcomes.Count - refused - conflicts - unavailable);
        observer.RecordsFailed(refused);
        observer.RecordsConflicted(conflicts);
        observer.RecordsUnavailable(unavailable);
        if (firstLost >= 0 && !request.CallerWaits)
        {
            LogAsyncRecordsLost(logger, refused + conflicts + unavailable, request.Records[firstLost].RecordId);
        }
        request.Complete(outcomes.ToArray());
    }

    /// <summary>
    /// Writes requests <paramref name="first"/> to <paramref name="end"/> (exclusive) of the batch. A refusal
    /// is isolated at request boundaries first, so an atomic request is never split across transactions;
    /// an atomic request refused alone is refused whole, a plain one is split further, record by record.
    /// </summary>
    private async Task WriteRequestsIsolatingFailuresAsync(BatchLayout layout, int first, int end, CancellationToken abort)
    {
        var records = layout.RecordsOf(first, end);
        var outcomes = layout.OutcomesOf(first, end);
        try
        {
            var written = await WriteRetryingAsync(records, abort);
            written.AsSpan().CopyTo(outcomes.AsSpan());
        }
        catch (Exception error) when (BatchFailure.RefusalReason(error) is { } reason)
        {
            if (end - first > 1)
            {
                observer.BatchSplit();
                var middle = first + ((end - first) / 2);
                await WriteRequestsIsolatingFailuresAsync(layout, first, middle, abort);
                await WriteRequestsIsolatingFailuresAsync(layout, middle, end, abort);
            }
            else if (layout.Requests[first].Atomic)
            {
                LogRequestRefused(logger, records.Count, records[0].RecordId, error);
                outcomes.AsSpan().Fill(new RecordOutcome.Refused($"the request is stored all or nothing and one of its records was refused: {reason}"));
            }
            else if (records.Count == 1)
            {
                LogRecordRefused(logger, records[0].RecordId, error);
                outcomes[0] = new RecordOutcome.Refused(reason);
            }
            else
            {
                observer.BatchSplit();
                var half = records.Count / 2;
                await WriteIsolatingFailuresAsync(records[..half], outcomes[..half], abort);
                await WriteIsolatingFailuresAsync(records[half..], outcomes[half..], abort);
            }
        }
    }

    private async Task WriteIsolatingFailuresAsync(ArraySegment<ValidatedRecord> records, ArraySegment<RecordOutcome> outcomes, CancellationToken abort)
    {
        try
        {
            var written = await WriteRetryingAsync(records, abort);
            written.AsSpan().CopyTo(outcomes.AsSpan());
        }
        catch (Exception error) when (BatchFailure.RefusalReason(error) is { } reason)
        {
            if (records.Count == 1)
            {
                LogRecordRefused(logger, records[0].RecordId, error);
                outcomes[0] = new RecordOutcome.Refused(reason);
                return;
            }
            observer.BatchSplit();
            var half = records.Count / 2;
            await WriteIsolatingFailuresAsync(records[..half], outcomes[..half], abort);
            await WriteIsolatingFailuresAsync(records[half..], outcomes[half..], abort);
        }
    }

    private async Task<RecordOutcome[]> WriteRetryingAsync(IReadOnlyList<ValidatedRecord> records, CancellationToken abort)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.WriteAsync(records, abort);
            }
            catch (Exception error) when (BatchFailure.RefusalReason(error) is null && !abort.IsCancellationRequested)
            {
                // Retries are safe: every record carries its recordId, so a batch that did commit
                // before the connection dropped comes back as idempotent replays. Retries are bounded, so
                // a batch that can never commit (a fault of the writer, a statement that always times out)
                // does not hold its writer and everything queued behind it forever.
                observer.RetriedFailure();
                if (attempt >= options.MaxWriteAttempts)
                {
                    LogWriteGivenUp(logger, records.Count, attempt, error);
                    var unavailable = new RecordOutcome[records.Count];
                    Array.Fill(unavailable, RecordOutcome.Unavailable.Instance);
                    return unavailable;
                }
                var delay = RetryDelay(attempt);
                LogRetriedFailure(logger, records.Count, attempt, delay.TotalMilliseconds, error);
                await Task.Delay(delay, abort);
            }
        }
    }

    private TimeSpan RetryDelay(int attempt)
    {
        var exponential = TimeSpan.FromMilliseconds(50 * Math.Pow(2, Math.Min(attempt - 1, 16)));
        return exponential < options.MaxRetryDelay ? exponential : options.MaxRetryDelay;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch of {RecordCount} records failed (attempt {Attempt}); the database, not the records, is at fault; retrying in {DelayMs} ms")]
    private static partial void LogRetriedFailure(ILogger logger, int recordCount, int attempt, double delayMs, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch of {RecordCount} records failed {Attempt} times for reasons that are no record's; given up: callers waiting get 503, records accepted with 202 go to phi.dead_letters as storage_unavailable")]
    private static partial void LogWriteGivenUp(ILogger logger, int recordCount, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused record {RecordId}; its request fails, the rest of the batch is stored")]
    private static partial void LogRecordRefused(ILogger logger, string recordId, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused a request of {RecordCount} records stored all or nothing (first recordId {RecordId}); none of it is stored, the rest of the batch is")]
    private static partial void LogRequestRefused(ILogger logger, int recordCount, string recordId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {RecordCount} dead letters failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    private static partial void LogDeadLetterRetried(ILogger logger, int recordCount, int attempt, double delayMs, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} records accepted with 202 were not stored and went to phi.dead_letters: refused by the database, recordId already used for another record, or storage unavailable past the retry bound (first recordId {RecordId})")]
    private static partial void LogAsyncRecordsLost(ILogger logger, int count, string recordId);
}

/// <summary>Where each request of a batch sits in the batch's record and outcome arrays.</summary>
internal sealed record BatchLayout(IReadOnlyList<IngestRequest> Requests, int[] Starts, ValidatedRecord[] Records, RecordOutcome[] Outcomes)
{
    /// <summary>The records of requests <paramref name="first"/> to <paramref name="end"/> (exclusive).</summary>
    public ArraySegment<ValidatedRecord> RecordsOf(int first, int end) => new(Records, Starts[first], Starts[end] - Starts[first]);

    /// <summary>The outcomes of requests <paramref name="first"/> to <paramref name="end"/> (exclusive).</summary>
    public ArraySegment<RecordOutcome> OutcomesOf(int first, int end) => new(Outcomes, Starts[first], Starts[end] - Starts[first]);
}
