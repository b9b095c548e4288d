namespace Kontakt.Core.Security;

/// <summary>Who is asking, as the access log records them.</summary>
/// <param name="Actor">An API key's name or a JWT's <c>sub</c>; <see cref="Anonymous"/> without valid credentials.</param>
/// <param name="Role">The role the actor acts in, when known.</param>
/// <param name="ClientAddress">The client's network address as the service saw it.</param>
public sealed record AccessActor(string Actor, string? Role, string? ClientAddress)
{
    /// <summary>The actor recorded when no credential was valid.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The event this actor's attempt makes.</summary>
    public AccessAttempt Attempt(string action, IReadOnlyList<Guid> patientIds, string outcome) =>
        new(Actor, Role, action, patientIds, ClientAddress, outcome);
}
