using Kontakt.Core.Security;
using Microsoft.AspNetCore.Authorization;

namespace Kontakt.Api.Security;

/// <summary>
/// One authorization policy per set of roles. Endpoints are opened by mapping them under one of
/// these in <c>UseKontakt</c>; whatever is not opened meets the fallback policy and is denied.
/// </summary>
public static class KontaktPolicies
{
    /// <summary>Writing records.</summary>
    public const string Ingest = "ingest";

    /// <summary>Import jobs: ingest keys (their own jobs) and admins (every job).</summary>
    public const string Imports = "imports";

    /// <summary>The public store: analysts, and admins (who may read what analysts may).</summary>
    public const string Analyst = "analyst";

    /// <summary>The color vocabulary: everyone who writes or reads colors.</summary>
    public const string Colors = "colors";

    /// <summary>PHI and the access log.</summary>
    public const string Auditor = "auditor";

    /// <summary>Key management (and <c>/metrics</c> when it needs a key).</summary>
    public const string Admin = "admin";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>
    {
        [Ingest] = [KontaktRoles.Ingest],
        [Imports] = [KontaktRoles.Ingest, KontaktRoles.Admin],
        [Analyst] = [KontaktRoles.Analyst, KontaktRoles.Admin],
        [Colors] = [KontaktRoles.Ingest, KontaktRoles.Analyst, KontaktRoles.Admin],
        [Auditor] = [KontaktRoles.Auditor],
        [Admin] = [KontaktRoles.Admin],
    };

    internal static void Add(AuthorizationOptions options)
    {
        foreach (var (name, roles) in Roles)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().RequireRole(roles));
        }
        // Deny by default: an endpoint that nobody opened is refused to every role. A request that
        // matched no mapped endpoint still needs credentials, and then gets routing's own answer
        // (404, or the 405 / 415 endpoints routing makes up, which are not RouteEndpoints).
        options.FallbackPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.Resource is HttpContext http && http.GetEndpoint() is not RouteEndpoint)
            .Build();
    }
}
