namespace Kontakt.LoadTest.Load;

/// <summary>One element of a 201 body: the record's ID and the patient it was resolved to.</summary>
public readonly record struct CreatedRecord(string RecordId, Guid PatientId, bool NewPatient);
