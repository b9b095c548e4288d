using Kontakt.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Kontakt.Api.Security;

/// <summary>
/// Answers refused requests with ProblemDetails: 401 with a <c>WWW-Authenticate</c> per accepted
/// scheme, or 403 naming the roles that may call the endpoint; and logs refusals on PHI endpoints.
/// </summary>
internal sealed class KontaktAuthorizationResultHandler(IConfiguration configuration, IProblemDetailsService problems)
    : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }
        if (authorizeResult.Challenged && context.Features.Get<KeyStoreUnavailable>() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = KeyStoreUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteAsync(context, "Credentials cannot be checked right now",
                "The database holding the API keys did not answer. Retry after the time in Retry-After.");
            return;
        }
        if (authorizeResult.Challenged)
        {
            foreach (var scheme in KontaktAuthentication.ChallengeSchemes(configuration))
            {
                await context.ChallengeAsync(scheme);
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await AccessDenials.LogAsync(context, AccessOutcomes.Unauthenticated);
            await WriteAsync(context, "Authentication required",
                KontaktAuthentication.BearerEnabled(configuration)
                    ? "Send a valid API key in the X-Api-Key header, or a valid bearer token in Authorization."
                    : "Send a valid API key in the X-Api-Key header.");
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await AccessDenials.LogAsync(context, AccessOutcomes.Denied);
        var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToList();
        await WriteAsync(context, "Forbidden", roles.Count == 0
            ? "No role may call this endpoint."
            : "The credential's role may not call this endpoint. It is open to: " + string.Join(", ", roles) + ".");
    }

    private async Task WriteAsync(HttpContext context, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = context.Response.StatusCode, Title = title, Detail = detail },
        });
}
