using Kontakt.Core.Security;

namespace Kontakt.Api.Security;

/// <summary>Writes refused attempts on <see cref="AccessAudited"/> endpoints to the access log.</summary>
internal static class AccessDenials
{
    public static async Task LogAsync(HttpContext http, string outcome)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<AccessAudited>() is not { } audited)
        {
            return;
        }
        var log = http.RequestServices.GetRequiredService<AccessLog>();
        var attempt = KontaktClaims.ActorOf(http).Attempt(audited.Action, PatientIdsOf(http), outcome);
        // Not the request's token: a client that hangs up must not keep its attempt out of the log.
        await log.WriteAsync(attempt, CancellationToken.None);
    }

    private static Guid[] PatientIdsOf(HttpContext http) =>
        http.Request.RouteValues.TryGetValue("patientId", out var value) && Guid.TryParse(value as string, out var id) ? [id] : [];
}
