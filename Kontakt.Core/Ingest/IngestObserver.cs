namespace Kontakt.Core.Ingest;

/// <summary>
/// Running totals of the ingest path, read by the metrics endpoint and health checks.
/// Counts only: no names, dates of birth or colors ever pass through here.
/// </summary>
public sealed class IngestObserver
{
    private long _accepted;
    private long _committed;
    private long _failed;
    private long _conflicted;
    private long _unavailable;
    private long _rejected;
    private long _overloaded;
    private long _batches;
    private long _retriedFailures;
    private long _splits;
    private long _consecutiveFailedCommits;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, long> _inFlightSince = new();

    /// <summary>Records per committed transaction.</summary>
    public FixedHistogram BatchSize { get; } = new([1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000]);

    /// <summary>Seconds to write one batch (COPY through COMMIT, retries included).</summary>
    public FixedHistogram CommitSeconds { get; } = new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

    /// <summary>Records queued (201 pending or 202 answered).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Records committed to PostgreSQL.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Records the database refused even alone.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Records given up after <see cref="IngestOptions.MaxWriteAttempts"/> failed attempts (503 or dead-lettered as storage_unavailable).</summary>
    public long Unavailable => Interlocked.Read(ref _unavailable);

    /// <summary>Records not stored because their recordId was already stored for a different record (409).</summary>
    public long Conflicted => Interlocked.Read(ref _conflicted);

    /// <summary>Records refused by validation (400); a body that could not be read as records counts as one.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Records turned away because the queue stayed full (503).</summary>
    public long Overloaded => Interlocked.Read(ref _overloaded);

    /// <summary>Transactions committed by the writers.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Batch attempts that failed for a database-side reason (not a record's content) and were retried.</summary>
    public long RetriedFailures => Interlocked.Read(ref _retriedFailures);

    /// <summary>Times a batch was split to isolate a refused record.</summary>
    public long Splits => Interlocked.Read(ref _splits);

    /// <summary>Commit attempts that failed since the last successful commit (readiness reads it).</summary>
    public long ConsecutiveFailedCommits => Interlocked.Read(ref _consecutiveFailedCommits);

    /// <summary>Counts records that entered the queue.</summary>
    public void RecordsAccepted(int count) => Interlocked.Add(ref _accepted, count);

    /// <summary>Counts records refused by validation.</summary>
    public void RecordsRejected(int count) => Interlocked.Add(ref _rejected, count);

    /// <summary>Counts records turned away with 503.</summary>
    public void RecordsOverloaded(int count) => Interlocked.Add(ref _overloaded, count);

    internal void RecordsCommitted(int count) => Interlocked.Add(ref _committed, count);

    internal void RecordsFailed(int count) => Interlocked.Add(ref _failed, count);

    internal void RecordsConflicted(int count) => Interlocked.Add(ref _conflicted, count);

    internal void RecordsUnavailable(int count) => Interlocked.Add(ref _unavailable, count);

    internal void BatchCommitted(int records, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Exchange(ref _consecutiveFailedCommits, 0);
        BatchSize.Observe(records);
        CommitSeconds.Observe(elapsed.TotalSeconds);
    }

    /// <summary>A writer started on a batch whose oldest request was queued at <paramref name="enqueuedAt"/> (Stopwatch ticks).</summary>
    internal void BatchStarted(object writer, long enqueuedAt) => _inFlightSince[writer] = enqueuedAt;

    internal void BatchFinished(object writer) => _inFlightSince.TryRemove(writer, out _);

    /// <summary>Stopwatch timestamp of the oldest record a writer is working on but has not committed, if any.</summary>
    public long? OldestInFlight()
    {
        long? oldest = null;
        foreach (var since in _inFlightSince.Values)
        {
            if (oldest is null || since < oldest)
            {
                oldest = since;
            }
        }
        return oldest;
    }

    internal void RetriedFailure()
    {
        Interlocked.Increment(ref _retriedFailures);
        Interlocked.Increment(ref _consecutiveFailedCommits);
    }

    internal void BatchSplit() => Interlocked.Increment(ref _splits);
}
