using System.ComponentModel.DataAnnotations;

namespace Kontakt.Core.Ingest;

/// <summary>How records are queued and written. Bound from the <c>Kontakt:Ingest</c> section.</summary>
public sealed class IngestOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kontakt:Ingest";

    /// <summary>
    /// Most records accepted but not yet committed, across the queue and the batches being
    /// written. This is the memory bound: beyond it new requests wait, then get 503.
    /// </summary>
    [Range(10, 10_000_000)]
    public int QueueCapacity { get; set; } = 200_000;

    /// <summary>How long a request may wait for room in a full queue before it is answered 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest number of records one writer commits in one transaction.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 5_000;

    /// <summary>
    /// How long a writer waits for more records after taking what is queued, to fill a batch.
    /// Zero by default: while the writers are busy the next batch fills on its own, and a wait
    /// added its whole length to every batch (measured: 2 ms cost 10–15% of durable throughput).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Number of background writers, each with its own connection and transaction.</summary>
    [Range(1, 32)]
    public int Writers { get; set; } = 2;

    /// <summary>
    /// How long a request waiting for its commit (201) waits before it is answered 504,
    /// which means "not confirmed": the record may still be committed; retry with the same recordId.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest pause between retries of a batch that failed with a transient database error.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a batch is attempted when it fails for a reason that is no record's (the database away
    /// or read-only, a timeout, a fault of the writer), with backoff from 50 ms doubling up to
    /// <see cref="MaxRetryDelay"/> between attempts. Past it the batch's records are given up, never dropped
    /// silently: a waiting caller (201) is answered 503 with Retry-After, a record answered 202 is
    /// dead-lettered as <c>storage_unavailable</c> (dead-lettering itself retries without bound). The last
    /// attempt may have committed unseen, so such a record may be stored after all; a retry with the same
    /// recordId is safe. With the defaults (20 attempts, 5 s cap) a batch is given up after about 70 s.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxWriteAttempts { get; set; } = 20;

    /// <summary>Readiness fails while the oldest accepted record has waited longer than this for its commit.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReadyMaxLag { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Readiness fails after this many commit attempts in a row failed, until one succeeds.</summary>
    [Range(1, 1_000)]
    public int ReadyMaxFailedCommits { get; set; } = 3;

    /// <summary>
    /// Most batch bodies read and validated at once. A batch body may be 16 MB, so this bounds the memory
    /// bodies in flight can take; beyond it a batch waits <see cref="BatchBodyWait"/>, then gets 503.
    /// </summary>
    [Range(1, 1_024)]
    public int MaxConcurrentBatchBodies { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>How long a batch waits for one of the <see cref="MaxConcurrentBatchBodies"/> places before it is answered 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan BatchBodyWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long shutdown waits for the writers to commit every accepted record (the host's shutdown
    /// timeout). A container's stop grace period must be longer, or the runtime kills the process
    /// mid-drain (docker-compose.yml: <c>stop_grace_period: 75s</c> for the default 60 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
