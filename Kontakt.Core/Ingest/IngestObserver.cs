using System.Diagnostics.Metrics;

namespace Kontakt.Core.Ingest;

/// <summary>
/// Running totals of the ingest path, read by health checks and published as instruments of the
/// <see cref="MeterName"/> meter. Counts only: no names, dates of birth, colors, record IDs or patient
/// IDs ever pass through here, and every tag is a fixed word.
/// </summary>
/// <remarks>
/// Instrument names are chosen so that the Prometheus exporter's translation (dots to underscores, the
/// unit as a suffix unless the name already ends with it, <c>_total</c> on counters; units in braces add
/// nothing) gives the names docs/operations.md lists: <c>kontakt.batch.commit</c> in <c>s</c> is
/// <c>kontakt_batch_commit_seconds</c>, the counter <c>kontakt.records.accepted</c> is
/// <c>kontakt_records_accepted_total</c>.
/// </remarks>
public sealed class IngestObserver
{
    /// <summary>The meter every Kontakt instrument belongs to.</summary>
    public const string MeterName = "Kontakt";

    private long _accepted;
    private long _committed;
    private long _failed;
    private long _conflicted;
    private long _unavailable;
    private long _rejected;
    private long _overloaded;
    private long _deadLettered;
    private long _batches;
    private long _retriedFailures;
    private long _splits;
    private long _consecutiveFailedCommits;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, long> _inFlightSince = new();
    private readonly Meter _meter;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitSeconds;

    /// <summary>
    /// Creates the observer and its instruments on the <see cref="MeterName"/> meter of
    /// <paramref name="meterFactory"/> (the host's, so that each host publishes its own counts);
    /// without a factory, on a meter of its own that no host listens to.
    /// </summary>
    public IngestObserver(IMeterFactory? meterFactory = null)
    {
        // The host's factory owns (and disposes) its meters.
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        const string records = "{record}";
        _meter.CreateObservableCounter("kontakt.records.accepted", () => Accepted, records,
            "Records queued for writing (answered 201 later, or 202 at once).");
        _meter.CreateObservableCounter("kontakt.records.committed", () => Committed, records,
            "Records committed to PostgreSQL.");
        _meter.CreateObservableCounter("kontakt.records.rejected", RejectedByReason, records,
            "Records not stored, by reason: invalid (400), overloaded (503), refused by the database (500), conflict (recordId already used for another record, 409), storage_unavailable (given up after the retry bound: 503 or dead-lettered).");
        _meter.CreateObservableCounter("kontakt.records.dead_lettered", () => DeadLettered, records,
            "Records answered 202 that were then not stored (refused, conflicting, or given up after the retry bound) and went to phi.dead_letters.");
        _meter.CreateObservableCounter("kontakt.batches", () => Batches, "{batch}",
            "Transactions committed by the writers.");
        _meter.CreateObservableCounter("kontakt.writer.retried_errors", () => RetriedFailures, "{attempt}",
            "Batch attempts that failed for a database-side reason and were retried.");
        _meter.CreateObservableCounter("kontakt.writer.batch_splits", () => Splits, "{split}",
            "Batches split to isolate a record the database refused.");
        _batchSize = _meter.CreateHistogram("kontakt.batch.size_records", records, "Records per committed transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000] });
        _commitSeconds = _meter.CreateHistogram("kontakt.batch.commit", "s", "Time to write one batch, COPY through COMMIT, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    /// <summary>The meter the instruments are on; other parts of the ingest path add theirs to it.</summary>
    public Meter Meter => _meter;

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

    /// <summary>Records answered 202 whose failure was stored in the dead letters.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

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

    internal void RecordsDeadLettered(int count) => Interlocked.Add(ref _deadLettered, count);

    internal void BatchCommitted(int records, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Exchange(ref _consecutiveFailedCommits, 0);
        _batchSize.Record(records);
        _commitSeconds.Record(elapsed.TotalSeconds);
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

    private Measurement<long>[] RejectedByReason() =>
    [
        new(Rejected, new KeyValuePair<string, object?>("reason", "invalid")),
        new(Overloaded, new KeyValuePair<string, object?>("reason", "overloaded")),
        new(Failed, new KeyValuePair<string, object?>("reason", "refused")),
        new(Conflicted, new KeyValuePair<string, object?>("reason", "conflict")),
        new(Unavailable, new KeyValuePair<string, object?>("reason", "storage_unavailable")),
    ];
}
