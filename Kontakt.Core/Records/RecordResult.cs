namespace Kontakt.Core.Records;

/// <summary>What storing one record produced.</summary>
/// <param name="RecordId">The record's ID (the client's, or the one the server assigned).</param>
/// <param name="PatientId">The persistent, random ID of the person the record belongs to.</param>
/// <param name="NewPatient">True when this record created the patient.</param>
/// <param name="ReceivedAt">When the API received the record; for a retried recordId, the original's.</param>
public sealed record RecordResult(string RecordId, Guid PatientId, bool NewPatient, DateTimeOffset ReceivedAt);
