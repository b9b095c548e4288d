namespace Kontakt.Core.Security;

/// <summary>One access event to write.</summary>
/// <param name="Actor">Who (see <see cref="AccessActor.Actor"/>).</param>
/// <param name="Role">The role they acted in, when known.</param>
/// <param name="Action">What, one of <see cref="AccessActions"/>.</param>
/// <param name="PatientIds">Whose PHI was read or asked for.</param>
/// <param name="ClientAddress">From where.</param>
/// <param name="Outcome">How it ended, one of <see cref="AccessOutcomes"/>.</param>
public sealed record AccessAttempt(
    string Actor, string? Role, string Action, IReadOnlyList<Guid> PatientIds, string? ClientAddress, string Outcome);
