namespace Kontakt.Core.Security;

/// <summary>What may be shown about a key: never the key or its hash.</summary>
/// <param name="Name">The label given at creation.</param>
/// <param name="Role">The role the key carries.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastUsedAt">When it was last accepted (to within a minute), or null if never.</param>
/// <param name="RevokedAt">When it was revoked, or null while it is valid.</param>
public sealed record ApiKeyInfo(string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
