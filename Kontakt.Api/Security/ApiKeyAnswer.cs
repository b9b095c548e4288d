using Kontakt.Core.Security;

namespace Kontakt.Api.Security;

/// <summary>Which active key a presented string is (null: none), and until when <see cref="ApiKeyCache"/> reuses the answer.</summary>
public sealed record ApiKeyAnswer(ApiKeyIdentity? Key, DateTimeOffset ExpiresAt);
