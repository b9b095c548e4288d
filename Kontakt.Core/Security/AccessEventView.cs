namespace Kontakt.Core.Security;

/// <summary>One event of the access log, as auditors read it.</summary>
/// <param name="EventId">Sequential ID; larger is later.</param>
/// <param name="OccurredAt">When the access happened.</param>
/// <param name="Actor">Who: a key's name, a JWT's <c>sub</c> or <c>anonymous</c>.</param>
/// <param name="Role">The role they acted in, when known.</param>
/// <param name="Action">What was attempted.</param>
/// <param name="PatientIds">Whose PHI was read or asked for.</param>
/// <param name="ClientAddress">The client's address as the service saw it.</param>
/// <param name="Outcome">allowed, not_found, denied, unauthenticated or rate_limited.</param>
public sealed record AccessEventView(
    long EventId, DateTimeOffset OccurredAt, string Actor, string? Role, string Action, IReadOnlyList<Guid> PatientIds, string? ClientAddress, string Outcome);
