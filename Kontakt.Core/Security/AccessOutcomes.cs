namespace Kontakt.Core.Security;

/// <summary>How an access ended: the fixed words of <c>security.access_events.outcome</c>.</summary>
public static class AccessOutcomes
{
    /// <summary>PHI was returned.</summary>
    public const string Allowed = "allowed";

    /// <summary>The caller was allowed to ask, and there was nothing to return.</summary>
    public const string NotFound = "not_found";

    /// <summary>Valid credentials, wrong role (403).</summary>
    public const string Denied = "denied";

    /// <summary>No valid credentials (401).</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>Over the per-key rate limit (429).</summary>
    public const string RateLimited = "rate_limited";
}
