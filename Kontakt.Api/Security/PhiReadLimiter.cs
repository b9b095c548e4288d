using System.Globalization;
using System.Threading.RateLimiting;
using Kontakt.Core.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Kontakt.Api.Security;

/// <summary>
/// The per-caller limit on PHI reads (<see cref="SecurityOptions.PhiReadsPerMinute"/>): a stolen
/// auditor key cannot dump the audit store at full speed. Over the limit: 429 with Retry-After.
/// </summary>
internal static class PhiReadLimiter
{
    public const string Policy = "phi-reads";

    public static void Add(RateLimiterOptions options)
    {
        options.AddPolicy(Policy, http =>
        {
            var perMinute = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.PhiReadsPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(PartitionOf(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = OnRejectedAsync;
    }

    // Authorization runs first, so every caller here is authenticated; the scheme keeps a key
    // and a token subject of the same name apart.
    private static string PartitionOf(HttpContext http) =>
        (http.User.Identity?.AuthenticationType ?? "") + ":" + KontaktClaims.ActorOf(http).Actor;

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await AccessDenials.LogAsync(http, AccessOutcomes.RateLimited);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many PHI reads",
                Detail = $"This credential may make {http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.PhiReadsPerMinute} PHI reads per minute. Retry after {seconds} s.",
            },
        });
    }
}
