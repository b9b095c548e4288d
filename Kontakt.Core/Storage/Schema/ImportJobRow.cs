namespace Kontakt.Core.Storage.Schema;

/// <summary>
/// <c>phi.import_jobs</c>: one uploaded file and how far its import got. It holds counts, the file's
/// SHA-256 and who uploaded it, never a value of the file; it sits in the PHI schema beside the file's chunks.
/// </summary>
public sealed class ImportJobRow
{
    /// <summary>The job's ID (UUIDv7: ordered by creation).</summary>
    public Guid JobId { get; set; }

    /// <summary>The API key (actor) that uploaded the file.</summary>
    public required string Client { get; set; }

    /// <summary>SHA-256 of the file, for "the same file again" from the same client.</summary>
    public required byte[] Sha256 { get; set; }

    /// <summary>The format's name (<c>csv</c>, <c>ndjson</c>).</summary>
    public required string Format { get; set; }

    /// <summary>CSV: skip unknown columns.</summary>
    public bool IgnoreUnknownColumns { get; set; }

    /// <summary><c>queued</c>, <c>running</c>, <c>completed</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }

    /// <summary>Size of the file in bytes.</summary>
    public long Bytes { get; set; }

    /// <summary>Number of chunks the file is stored in (<c>phi.import_chunks</c>).</summary>
    public int Chunks { get; set; }

    /// <summary>Lines read up to the checkpoint.</summary>
    public long Received { get; set; }

    /// <summary>Lines stored up to the checkpoint.</summary>
    public long Stored { get; set; }

    /// <summary>Lines rejected up to the checkpoint.</summary>
    public long Rejected { get; set; }

    /// <summary>The last line whose outcome is committed: a resumed job starts after it.</summary>
    public long CheckpointLine { get; set; }

    /// <summary>When the upload was stored.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a process first started the job.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When the job completed or failed.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Why the job failed.</summary>
    public string? Reason { get; set; }

    /// <summary>The process running the job.</summary>
    public Guid? LeaseOwner { get; set; }

    /// <summary>Until when that process holds the job; after it, any process may resume it.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
}
