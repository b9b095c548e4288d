using System.Diagnostics;
using System.Net;
using Kontakt.Api.Security;

namespace Kontakt.Tests.Support;

/// <summary>How soon a revoked API key stops working: within <see cref="ApiKeyCache.Lifetime"/> (plus a second of slack).</summary>
public static class Revocation
{
    /// <summary>
    /// Sends with the just-revoked key until it is refused (401); every request answered 200 before that must have
    /// been sent within the bound.
    /// </summary>
    public static async Task AssertRefusedWithinCacheLifetimeAsync(Func<Task<HttpStatusCode>> sendWithRevokedKey)
    {
        ArgumentNullException.ThrowIfNull(sendWithRevokedKey);
        var revokedAt = Stopwatch.StartNew();
        while (true)
        {
            // Timed from when the request is sent, not answered: on a loaded machine an answer can take seconds
            // to arrive, but only a request sent after the bound may not be accepted any more.
            var sentAt = revokedAt.Elapsed;
            var status = await sendWithRevokedKey();
            if (status == HttpStatusCode.Unauthorized)
            {
                return;
            }
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(sentAt <= ApiKeyCache.Lifetime + TimeSpan.FromSeconds(1), $"a request sent {sentAt} after the revocation was still accepted");
            await Task.Delay(100);
        }
    }
}
