namespace Kontakt.Core.Storage.Schema;

/// <summary><c>phi.records</c>: every accepted record, as received. PHI.</summary>
public sealed class AuditRecord
{
    /// <summary>Internal sequential key.</summary>
    public long RecordKey { get; set; }

    /// <summary>Whose record it is (<see cref="Records.RecordClients"/>).</summary>
    public required string Client { get; set; }

    /// <summary>The client's or the server's record ID; unique per client, which makes retries idempotent.</summary>
    public required string RecordId { get; set; }

    /// <summary>The person this record belongs to.</summary>
    public long PatientKey { get; set; }

    /// <summary>The name exactly as received.</summary>
    public required string Name { get; set; }

    /// <summary>Date of birth.</summary>
    public DateOnly Dob { get; set; }

    /// <summary>The favorite color exactly as sent; null when the record carried none.</summary>
    public string? FavoriteColor { get; set; }

    /// <summary>True when this record created the patient.</summary>
    public bool CreatedPatient { get; set; }

    /// <summary>When the API received the record.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The batch's commit-ordered stamp (system time).</summary>
    public DateTimeOffset CommittedAt { get; set; }
}
