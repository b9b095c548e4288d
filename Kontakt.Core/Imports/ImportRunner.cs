using System.Globalization;
using Kontakt.Core.Ingest;
using Kontakt.Core.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kontakt.Core.Imports;

/// <summary>
/// Runs one claimed import job: reads its stored file through its format, validates each record with
/// <see cref="RecordValidator"/>, queues them in steps through the <see cref="IngestQueue"/> (the same
/// writers as every other record) and checkpoints each step once its commit is known. A line without a
/// recordId gets one derived from the job and the line, so a resumed job replays lines already stored
/// instead of storing them twice. Steps wait while the queue is more than half full: interactive
/// requests come first.
/// </summary>
public sealed partial class ImportRunner(
    ImportJobStore store,
    ImportFormats formats,
    IngestQueue queue,
    RecordValidator validator,
    IngestObserver observer,
    IOptions<ImportOptions> options,
    ILogger<ImportRunner> logger)
{
    private static readonly TimeSpan QueueBusyWait = TimeSpan.FromMilliseconds(50);

    /// <summary>The recordId of a line that has none: stable for the job and line, so replays are idempotent.</summary>
    public static string DerivedRecordId(Guid jobId, long line) =>
        string.Create(CultureInfo.InvariantCulture, $"import-{jobId:N}-{line}");

    /// <summary>
    /// Runs the job to its end. Returns normally when it completed or when this process lost it
    /// (cancelled, or its lease taken over); throws when stopped, for the caller to release it.
    /// </summary>
    public async Task RunAsync(ImportClaim claim, Guid owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var settings = options.Value;
        var format = formats.ByName(claim.Format) ?? throw new InvalidOperationException($"Import format '{claim.Format}' is not registered.");
        var job = new RunningJob(claim.JobId, owner, settings.LeaseTime);
        var stepLines = Math.Max(1, Math.Min(settings.BatchLines, queue.Capacity / 2));
        var inFlight = new Queue<Step>();
        var step = new Step();
        var errors = new List<FieldError>();
        LogJobStarted(logger, claim.JobId, claim.CheckpointLine);

        await using var file = store.OpenFile(claim.JobId, claim.Chunks);
        try
        {
            await foreach (var item in format.ReadAsync(file, claim.Options, cancellationToken))
            {
                if (item.Line <= claim.CheckpointLine)
                {
                    continue;
                }
                Add(step, item, claim, errors);
                if (step.Received >= stepLines)
                {
                    if (!await SubmitAsync(job, step, inFlight, settings.BatchesInFlight, cancellationToken))
                    {
                        return;
                    }
                    step = new Step();
                }
            }
        }
        catch (ImportFileGoneException)
        {
            LogJobLost(logger, claim.JobId);
            return;
        }
        if (step.Received > 0 && !await SubmitAsync(job, step, inFlight, settings.BatchesInFlight, cancellationToken))
        {
            return;
        }
        while (inFlight.Count > 0)
        {
            if (!await CheckpointAsync(job, inFlight.Dequeue(), cancellationToken))
            {
                return;
            }
        }
        if (await store.CompleteAsync(claim.JobId, owner, cancellationToken))
        {
            LogJobCompleted(logger, claim.JobId);
        }
        else
        {
            LogJobLost(logger, claim.JobId);
        }
    }

    private void Add(Step step, ImportItem item, ImportClaim claim, List<FieldError> errors)
    {
        step.Received++;
        step.LastLine = item.Line;
        if (item.Record is not { } record)
        {
            step.Reject(item.Line, item.Errors ?? [new FieldError("$", "could not be read.")]);
            return;
        }
        if (string.IsNullOrEmpty(record.RecordId))
        {
            record.RecordId = DerivedRecordId(claim.JobId, item.Line);
        }
        errors.Clear();
        // The job's client: its lines' recordIds are scoped like those the same key sends to /v1/records.
        if (validator.Validate(record, claim.Client, validator.Now(), errors) is { } valid)
        {
            step.Records.Add(valid);
            step.RecordLines.Add(item.Line);
        }
        else
        {
            step.Reject(item.Line, errors);
        }
    }

    private async Task<bool> SubmitAsync(RunningJob job, Step step, Queue<Step> inFlight, int maxInFlight, CancellationToken cancellationToken)
    {
        observer.RecordsRejected(step.Invalid);
        if (step.Records.Count > 0)
        {
            step.Request = await EnqueueAsync(job, step.Records, cancellationToken);
            if (step.Request is null)
            {
                return false;
            }
        }
        inFlight.Enqueue(step);
        // Steps are checkpointed in file order, each once its commit is known; a step done early waits for the ones before it.
        while (inFlight.Count >= maxInFlight || (inFlight.Count > 0 && inFlight.Peek().IsDone))
        {
            if (!await CheckpointAsync(job, inFlight.Dequeue(), cancellationToken))
            {
                return false;
            }
        }
        return true;
    }

    private async Task<IngestRequest?> EnqueueAsync(RunningJob job, List<ValidatedRecord> records, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Interactive requests first: the job waits while the queue is more than half full.
            if (queue.PendingRecords + records.Count > queue.Capacity / 2)
            {
                await Task.Delay(QueueBusyWait, cancellationToken);
                if (!await job.KeepAsync(store, cancellationToken))
                {
                    return null;
                }
                continue;
            }
            // callerWaits: the job hears every outcome itself and reports failures in its error report.
            var request = new IngestRequest(records, callerWaits: true);
            switch (await queue.EnqueueAsync(request, cancellationToken))
            {
                case EnqueueOutcome.Queued:
                    observer.RecordsAccepted(records.Count);
                    return request;
                case EnqueueOutcome.Closed:
                    throw new OperationCanceledException("The ingest queue is closed: the service is stopping.");
                case EnqueueOutcome.TooLarge:
                    throw new InvalidOperationException("An import step is larger than the ingest queue.");
                default:
                    continue;
            }
        }
    }

    private async Task<bool> CheckpointAsync(RunningJob job, Step step, CancellationToken cancellationToken)
    {
        if (step.Request is { } request)
        {
            var outcomes = await WaitForCommitAsync(job, request, cancellationToken);
            if (outcomes is null)
            {
                return false;
            }
            if (outcomes.Any(outcome => outcome is RecordOutcome.Unavailable))
            {
                // Not a failure of any line: the job stops without a checkpoint and, once its lease runs out,
                // resumes from the last one; lines that did commit come back as replays of their recordIds.
                LogStorageUnavailable(logger, job.JobId);
                return false;
            }
            for (var i = 0; i < outcomes.Length; i++)
            {
                switch (outcomes[i])
                {
                    case RecordOutcome.Stored or RecordOutcome.Replayed:
                        step.Stored++;
                        break;
                    case RecordOutcome.Conflict:
                        step.Reject(step.RecordLines[i], [new FieldError("recordId", "the recordId was already stored for a different record; nothing was stored.")]);
                        break;
                    case RecordOutcome.Refused refused:
                        step.Reject(step.RecordLines[i], [new FieldError("$", refused.Reason)]);
                        break;
                }
            }
        }
        var progress = new ImportProgress(step.LastLine, step.Received, step.Stored, step.Rejected, step.Errors);
        if (await store.CheckpointAsync(job.JobId, job.Owner, job.Lease, progress, cancellationToken))
        {
            job.Renewed();
            return true;
        }
        LogJobLost(logger, job.JobId);
        return false;
    }

    private async Task<RecordOutcome[]?> WaitForCommitAsync(RunningJob job, IngestRequest request, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await request.Completion.WaitAsync(job.Lease / 3, cancellationToken);
            }
            catch (TimeoutException)
            {
                if (!await job.KeepAsync(store, cancellationToken))
                {
                    return null;
                }
            }
        }
    }

    /// <summary>The lines of one step: queued as one request, checkpointed together.</summary>
    private sealed class Step
    {
        public List<ValidatedRecord> Records { get; } = [];

        public List<long> RecordLines { get; } = [];

        public List<ImportLineError> Errors { get; } = [];

        public IngestRequest? Request { get; set; }

        public long LastLine { get; set; }

        public long Received { get; set; }

        public long Stored { get; set; }

        public long Rejected { get; private set; }

        public int Invalid { get; private set; }

        public bool IsDone => Request is null || Request.Completion.IsCompleted;

        public void Reject(long line, IEnumerable<FieldError> errors)
        {
            Rejected++;
            if (Request is null)
            {
                Invalid++;
            }
            foreach (var error in errors)
            {
                Errors.Add(new ImportLineError(line, error.Field, error.Message));
            }
        }
    }

    /// <summary>The claim this process holds, renewed well before its lease runs out.</summary>
    private sealed class RunningJob(Guid jobId, Guid owner, TimeSpan lease)
    {
        private long _renewedAt = System.Diagnostics.Stopwatch.GetTimestamp();

        public Guid JobId => jobId;

        public Guid Owner => owner;

        public TimeSpan Lease => lease;

        public void Renewed() => _renewedAt = System.Diagnostics.Stopwatch.GetTimestamp();

        /// <summary>Renews the lease when a third of it has passed; false when the job is no longer ours.</summary>
        public async Task<bool> KeepAsync(ImportJobStore store, CancellationToken cancellationToken)
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(_renewedAt) < lease / 3)
            {
                return true;
            }
            if (!await store.RenewAsync(jobId, owner, lease, cancellationToken))
            {
                return false;
            }
            Renewed();
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId} started after line {CheckpointLine}")]
    private static partial void LogJobStarted(ILogger logger, Guid jobId, long checkpointLine);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import job {JobId} paused: the database could not be written past the retry bound; it resumes from its last checkpoint when its lease runs out")]
    private static partial void LogStorageUnavailable(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId} completed")]
    private static partial void LogJobCompleted(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId} is no longer held by this process (cancelled or taken over); it stops here")]
    private static partial void LogJobLost(ILogger logger, Guid jobId);
}
