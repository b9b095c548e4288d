namespace Kontakt.Core.Records;

/// <summary>
/// What became of one record. The writer completes every record of a request with exactly one of
/// these; none of them is an error. Kontakt.Api maps them to HTTP in one place (IngestOutcomes).
/// </summary>
public abstract record RecordOutcome
{
    private RecordOutcome()
    {
    }

    /// <summary>The record was stored by this write.</summary>
    /// <param name="Result">What storing it produced.</param>
    public sealed record Stored(RecordResult Result) : RecordOutcome;

    /// <summary>
    /// The recordId was already stored (before, or earlier in the same batch) with the same person and
    /// color: nothing new was stored, and the answer is the original's.
    /// </summary>
    /// <param name="Result">The original record's result.</param>
    public sealed record Replayed(RecordResult Result) : RecordOutcome;

    /// <summary>
    /// The recordId was already stored for a different record (another person or color). Nothing was
    /// stored and no patient ID is given out: answering with the stored record's would tell the caller whose it is.
    /// </summary>
    public sealed record Conflict : RecordOutcome
    {
        /// <summary>The one conflict value: it carries nothing.</summary>
        public static Conflict Instance { get; } = new();
    }

    /// <summary>
    /// The record's batch failed <see cref="Ingest.IngestOptions.MaxWriteAttempts"/> times for reasons that are
    /// no record's (the database away, a timeout, a fault of the writer) and was given up. The last attempt
    /// may have committed without the writer hearing back, so the record may or may not be stored; a retry
    /// with the same recordId is safe.
    /// </summary>
    public sealed record Unavailable : RecordOutcome
    {
        /// <summary>The one unavailable value: it carries nothing.</summary>
        public static Unavailable Instance { get; } = new();
    }

    /// <summary>The database refused the record even written alone; the rest of its batch was stored.</summary>
    /// <param name="Reason">Why, in words that name a kind of error, never a value of the record.</param>
    public sealed record Refused(string Reason) : RecordOutcome;
}
