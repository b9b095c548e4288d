using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Kontakt.Core.Records;
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

    /// <summary>
    /// The client the caller's records and import jobs belong to (<see cref="RecordClients"/>): the actor, which
    /// for an API key is its name. A token's subject longer than a key name is stored as its SHA-256, so the
    /// stored client stays bounded and is the same on every request; such a name holds a <c>:</c>, which no
    /// key's name may.
    /// </summary>
    public static string ClientOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var actor = http.User.FindFirst(Actor)?.Value ?? AccessActor.Anonymous;
        return actor.Length <= RecordClients.MaxLength
            ? actor
            : "sub-sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(actor)));
    }

    /// <summary>The known roles the caller holds, comma-separated, or null for none.</summary>
    private static string? RolesOf(ClaimsPrincipal user)
    {
        var roles = KontaktRoles.All.Where(user.IsInRole).ToList();
        return roles.Count == 0 ? null : string.Join(',', roles);
    }
}
