namespace Kontakt.Core.Security;

/// <summary>The valid key a request presented.</summary>
/// <param name="KeyId">Internal key, for <see cref="ApiKeyStore.TouchAsync"/>.</param>
/// <param name="Name">The key's name: the actor in the access log.</param>
/// <param name="Role">The role it carries.</param>
/// <param name="LastUsedAt">When it was last recorded as used.</param>
public sealed record ApiKeyIdentity(long KeyId, string Name, string Role, DateTimeOffset? LastUsedAt);
