using System.Security.Claims;
using Kontakt.Core.Security;

namespace Kontakt.Api.Security;

/// <summary>
/// The claims every authenticated caller has, whichever scheme: the actor in <c>sub</c> (a key's
/// name or the token's subject) and roles in <c>role</c>.
/// </summary>
public static class KontaktClaims
{
    public const string Actor = "sub";
    public const string Role = "role";

    /// <summary>Who the caller is for the access log; <see cref="AccessActor.Anonymous"/> when not authenticated.</summary>
    public static AccessActor ActorOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = http.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        var actor = authenticated ? user.FindFirst(Actor)?.Value ?? AccessActor.Anonymous : AccessActor.Anonymous;
        return new AccessActor(actor, authenticated ? RolesOf(user) : null, http.Connection.RemoteIpAddress?.ToString());
    }

    /// <summary>The known roles the caller holds, comma-separated, or null for none.</summary>
    private static string? RolesOf(ClaimsPrincipal user)
    {
        var roles = KontaktRoles.All.Where(user.IsInRole).ToList();
        return roles.Count == 0 ? null : string.Join(',', roles);
    }
}
