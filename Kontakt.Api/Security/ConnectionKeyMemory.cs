using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections.Features;

namespace Kontakt.Api.Security;

/// <summary>
/// The key an HTTP/1.x connection last authenticated with and the principal it became, kept on that connection until
/// <see cref="ApiKeyCache"/>'s answer for the key expires. A client presents the same key on every request of a
/// keep-alive connection; recalling it spares hashing the key and building its claims on every request, which cost
/// ~9% of the API's CPU per record (docs/benchmarks.md, "Authentication's share"). Only the same key on the same
/// connection is recalled, and no longer than the cache would answer, so a revocation bites as soon as it did before.
/// Not for HTTP/2 and later: their requests run at once on one connection, and a principal is never shared between
/// requests that run together.
/// </summary>
internal sealed class ConnectionKeyMemory(string presented, ClaimsPrincipal principal, DateTimeOffset expiresAt)
{
    /// <summary>The principal <paramref name="presentedKey"/> authenticated as on this connection, if it did and may still.</summary>
    public static ClaimsPrincipal? Recall(HttpContext http, string presentedKey, DateTimeOffset now) =>
        ItemsOf(http) is { } items
        && items.TryGetValue(typeof(ConnectionKeyMemory), out var value)
        && value is ConnectionKeyMemory memory
        && memory.Holds(presentedKey, now)
            ? memory.Principal
            : null;

    public static void Remember(HttpContext http, string presentedKey, ClaimsPrincipal principal, DateTimeOffset expiresAt)
    {
        if (ItemsOf(http) is { } items)
        {
            items[typeof(ConnectionKeyMemory)] = new ConnectionKeyMemory(presentedKey, principal, expiresAt);
        }
    }

    private ClaimsPrincipal Principal { get; } = principal;

    // In constant time: a connection a proxy shares between clients must not tell one client how much of its key
    // matches another's.
    private bool Holds(string presentedKey, DateTimeOffset now) =>
        now < expiresAt
        && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(presented.AsSpan()), MemoryMarshal.AsBytes(presentedKey.AsSpan()));

    private static IDictionary<object, object?>? ItemsOf(HttpContext http) =>
        HttpProtocol.IsHttp11(http.Request.Protocol) || HttpProtocol.IsHttp10(http.Request.Protocol)
            ? http.Features.Get<IConnectionItemsFeature>()?.Items
            : null;
}
