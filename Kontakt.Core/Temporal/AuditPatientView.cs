namespace Kontakt.Core.Temporal;

/// <summary>The PHI master view of a patient at a system time, from the audit store. Auditors only.</summary>
/// <param name="PatientId">The random patient ID.</param>
/// <param name="Name">The name as received in the latest record.</param>
/// <param name="Dob">Date of birth.</param>
/// <param name="FavoriteColor">The color of the latest record, as sent; null when that record carried none.</param>
/// <param name="RecordId">The record that set it.</param>
/// <param name="ReceivedAt">When that record was received.</param>
/// <param name="CommittedAt">When that record was committed (system time).</param>
/// <param name="FirstSeenAt">When the patient's first record was committed.</param>
/// <param name="Records">How many records of the patient were committed by then.</param>
public sealed record AuditPatientView(
    Guid PatientId,
    string Name,
    DateOnly Dob,
    string? FavoriteColor,
    string RecordId,
    DateTimeOffset ReceivedAt,
    DateTimeOffset CommittedAt,
    DateTimeOffset FirstSeenAt,
    long Records);
