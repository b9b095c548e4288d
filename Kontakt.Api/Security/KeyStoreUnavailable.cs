namespace Kontakt.Api.Security;

/// <summary>
/// Request feature set when an API key could not be checked because the database did not answer:
/// the request is refused with 503 and <c>Retry-After</c>, since the credential may well be valid.
/// </summary>
internal sealed class KeyStoreUnavailable
{
    public static KeyStoreUnavailable Instance { get; } = new();

    /// <summary>Seconds a client should wait before trying again.</summary>
    public const int RetryAfterSeconds = 2;
}
