namespace Kontakt.Core.Storage.Schema;

/// <summary>
/// <c>phi.dead_letters</c>: a record accepted with 202 that was never stored. It holds the recordId
/// and why, never a value of the record; it sits in the PHI schema because a recordId ties a caller's
/// record to this service.
/// </summary>
public sealed class DeadLetter
{
    /// <summary>Whose record it was (<see cref="Records.RecordClients"/>).</summary>
    public required string Client { get; set; }

    /// <summary>The record's ID; one failure per client and recordId (a later retry that fails again keeps the first).</summary>
    public required string RecordId { get; set; }

    /// <summary>Machine-readable reason: <c>conflict</c> or <c>refused</c>.</summary>
    public required string Code { get; set; }

    /// <summary>The field at fault, when one is known.</summary>
    public string? Field { get; set; }

    /// <summary>Why, in words that name a kind of error, never a value.</summary>
    public required string Reason { get; set; }

    /// <summary>When the API received the record.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>When the writer gave the record up.</summary>
    public DateTimeOffset FailedAt { get; set; }
}
