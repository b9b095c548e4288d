namespace Kontakt.Core.Storage.Schema;

/// <summary>
/// <c>security.access_events</c>: who read PHI, or tried to (HIPAA §164.312(b) audit controls).
/// Append-only: the service's runtime role may insert and select, never update or delete.
/// </summary>
public sealed class AccessEvent
{
    /// <summary>Internal sequential key; also the paging order.</summary>
    public long EventId { get; set; }

    /// <summary>When the access happened.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>Who: an API key's name or a JWT's <c>sub</c>; <c>anonymous</c> when no credential was valid.</summary>
    public required string Actor { get; set; }

    /// <summary>The role the actor acted in, when known.</summary>
    public string? Role { get; set; }

    /// <summary>What was attempted, a fixed word such as <c>audit.patient.read</c>.</summary>
    public required string Action { get; set; }

    /// <summary>The patients whose PHI was read or asked for.</summary>
    public required Guid[] PatientIds { get; set; }

    /// <summary>The client's network address as the service saw it.</summary>
    public string? ClientAddress { get; set; }

    /// <summary>How it ended, a fixed word: allowed, not_found, denied, unauthenticated, rate_limited.</summary>
    public required string Outcome { get; set; }
}
