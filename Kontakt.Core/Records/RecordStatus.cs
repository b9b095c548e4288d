namespace Kontakt.Core.Records;

/// <summary>What became of one record, as far as this process or the database knows.</summary>
/// <param name="RecordId">The record's ID.</param>
/// <param name="Status"><c>queued</c>, <c>committed</c> or <c>failed</c>.</param>
/// <param name="PatientId">The person's ID, once committed.</param>
/// <param name="NewPatient">Whether the record created the patient, once committed.</param>
/// <param name="ReceivedAt">When the API received the record.</param>
/// <param name="CommittedAt">When it was committed.</param>
/// <param name="Error">Why it failed.</param>
public sealed record RecordStatus(
    string RecordId,
    string Status,
    Guid? PatientId,
    bool? NewPatient,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? CommittedAt,
    RecordStatusError? Error)
{
    /// <summary>Accepted by this process, not yet committed.</summary>
    public const string Queued = "queued";

    /// <summary>Stored.</summary>
    public const string Committed = "committed";

    /// <summary>Accepted with 202 and never stored: see <see cref="Error"/>.</summary>
    public const string Failed = "failed";
}

/// <summary>Why a record failed: a code, the field when known, and a reason that never quotes a value.</summary>
/// <param name="Code"><c>conflict</c> or <c>refused</c>.</param>
/// <param name="Field">The field at fault, when known.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record RecordStatusError(
    string Code,
    string? Field,
    string Reason);
