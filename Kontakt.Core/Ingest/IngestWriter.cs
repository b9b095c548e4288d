using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Kontakt.Core.Ingest;

/// <summary>
/// One background writer: takes requests off the queue until a batch is full or the batch
/// delay passes, commits them in one transaction, and only then completes the waiting
/// requests (group commit). A failing batch must not fail innocent records: transient
/// errors are retried, any other failure splits the batch until the refused record is alone.
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
        var offset = 0;
        foreach (var request in batch)
        {
            foreach (var record in request.Records)
            {
                records[offset++] = record;
            }
        }

        var outcomes = new RecordOutcome[recordCount];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        observer.BatchStarted(this, batch[0].EnqueuedAt);
        try
        {
            await WriteIsolatingFailuresAsync(new ArraySegment<ValidatedRecord>(records), new ArraySegment<RecordOutcome>(outcomes), abort);
        }
        finally
        {
            observer.BatchFinished(this);
        }
        observer.BatchCommitted(recordCount, System.Diagnostics.Stopwatch.GetElapsedTime(started));

        await DeadLetterRetryingAsync(batch, outcomes, abort);

        offset = 0;
        foreach (var request in batch)
        {
            // Its outcome is in the database by now: leave the queued list before a waiting caller hears back.
            queue.Queued.Remove(request);
            Complete(request, new ArraySegment<RecordOutcome>(outcomes, offset, request.Records.Count));
            offset += request.Records.Count;
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
        int refused = 0, conflicts = 0;
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
                default:
                    continue;
            }
            if (firstLost < 0)
            {
                firstLost = i;
            }
        }
        observer.RecordsCommitted(outcomes.Count - refused - conflicts);
        observer.RecordsFailed(refused);
        observer.RecordsConflicted(conflicts);
        if (firstLost >= 0 && !request.CallerWaits)
        {
            LogAsyncRecordsLost(logger, refused + conflicts, request.Records[firstLost].RecordId);
        }
        request.Complete(outcomes.ToArray());
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
                // before the connection dropped comes back as idempotent replays. Backoff is capped,
                // retries are not: a database that stays away fills the queue (503s), it loses nothing.
                observer.RetriedFailure();
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused record {RecordId}; its request fails, the rest of the batch is stored")]
    private static partial void LogRecordRefused(ILogger logger, string recordId, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {RecordCount} dead letters failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    private static partial void LogDeadLetterRetried(ILogger logger, int recordCount, int attempt, double delayMs, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} records accepted with 202 were not stored and went to phi.dead_letters: refused by the database or recordId already used for another record (first recordId {RecordId})")]
    private static partial void LogAsyncRecordsLost(ILogger logger, int count, string recordId);
}
