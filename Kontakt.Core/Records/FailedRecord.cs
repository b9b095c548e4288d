namespace Kontakt.Core.Records;

/// <summary>A record accepted with 202 that was not stored, and why (never a value of the record).</summary>
/// <param name="Client">Whose record it was (<see cref="RecordClients"/>).</param>
/// <param name="RecordId">The record's ID, unique per client.</param>
/// <param name="Code">Machine-readable reason: <see cref="ConflictCode"/>, <see cref="RefusedCode"/> or <see cref="StorageUnavailableCode"/>.</param>
/// <param name="Field">The field at fault, when one is known.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="ReceivedAt">When the API received the record.</param>
public sealed record FailedRecord(string Client, string RecordId, string Code, string? Field, string Reason, DateTimeOffset ReceivedAt)
{
    /// <summary>The recordId was already stored for a different record of the same client.</summary>
    public const string ConflictCode = "conflict";

    /// <summary>The database refused the record.</summary>
    public const string RefusedCode = "refused";

    /// <summary>Writing the record's batch failed past the retry bound for reasons that are no record's.</summary>
    public const string StorageUnavailableCode = "storage_unavailable";

    /// <summary>The failure <paramref name="outcome"/> means for <paramref name="record"/>; null when it was stored or replayed.</summary>
    public static FailedRecord? From(ValidatedRecord record, RecordOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(record);
        return outcome switch
        {
            RecordOutcome.Conflict => new FailedRecord(record.Client, record.RecordId, ConflictCode, "recordId",
                "the recordId was already stored for a different record; nothing was stored.", record.ReceivedAt),
            RecordOutcome.Refused refused => new FailedRecord(record.Client, record.RecordId, RefusedCode, null, refused.Reason, record.ReceivedAt),
            RecordOutcome.Unavailable => new FailedRecord(record.Client, record.RecordId, StorageUnavailableCode, null,
                "the database could not be written within the retry bound; the record may or may not be stored. Sending it again with the same recordId is safe.",
                record.ReceivedAt),
            _ => null,
        };
    }
}
