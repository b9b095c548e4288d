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
    private long _rejected;
    private long _overloaded;
    private long _batches;
    private long _transientFailures;
    private long _splits;
    private long _commitTicks;

    /// <summary>Records queued (201 pending or 202 answered).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Records committed to PostgreSQL.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Records the database refused even alone.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Records refused by validation (400).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Records turned away because the queue stayed full (503).</summary>
    public long Overloaded => Interlocked.Read(ref _overloaded);

    /// <summary>Transactions committed by the writers.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Batch attempts that failed transiently and were retried.</summary>
    public long TransientFailures => Interlocked.Read(ref _transientFailures);

    /// <summary>Times a batch was split to isolate a refused record.</summary>
    public long Splits => Interlocked.Read(ref _splits);

    /// <summary>Total time spent writing batches.</summary>
    public TimeSpan CommitTime => TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks));

    /// <summary>Counts records that entered the queue.</summary>
    public void RecordsAccepted(int count) => Interlocked.Add(ref _accepted, count);

    /// <summary>Counts records refused by validation.</summary>
    public void RecordsRejected(int count) => Interlocked.Add(ref _rejected, count);

    /// <summary>Counts records turned away with 503.</summary>
    public void RecordsOverloaded(int count) => Interlocked.Add(ref _overloaded, count);

    internal void RecordsCommitted(int count) => Interlocked.Add(ref _committed, count);

    internal void RecordsFailed(int count) => Interlocked.Add(ref _failed, count);

    internal void BatchCommitted(int records, TimeSpan elapsed)
    {
        _ = records;
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _commitTicks, elapsed.Ticks);
    }

    internal void TransientFailure() => Interlocked.Increment(ref _transientFailures);

    internal void BatchSplit() => Interlocked.Increment(ref _splits);
}
