using System.Security.Claims;
using Kontakt.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Kontakt.Api.Security;

/// <summary>Authentication (API keys, optional JWT bearer), the role policies and the PHI rate limit.</summary>
internal static class SecurityServices
{
    public static IServiceCollection AddKontaktSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<AccessLog>();
        services.AddSingleton<AuditedReads>();
        services.AddSingleton<ApiKeyCache>();

        services.AddAuthentication()
            .AddPolicyScheme(KontaktAuthentication.Scheme, "API key or bearer token", scheme => scheme.ForwardDefaultSelector = KontaktAuthentication.SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(KontaktAuthentication.ApiKeyScheme, displayName: null, _ => { })
            // Registered always, reached only when Authentication:Schemes:Bearer exists (see SelectScheme);
            // the framework binds that section itself, as dotnet user-jwts expects.
            .AddJwtBearer();
        services.PostConfigure<JwtBearerOptions>(KontaktAuthentication.BearerScheme, ConfigureBearer);
        // Straight to the API key handler unless bearer tokens are on: the policy scheme's forwarding is a
        // second handler on every request, ~4% of the API's CPU per record (docs/benchmarks.md).
        services.AddOptions<AuthenticationOptions>().Configure<IConfiguration>((authentication, configuration) =>
            authentication.DefaultScheme = KontaktAuthentication.BearerEnabled(configuration)
                ? KontaktAuthentication.Scheme
                : KontaktAuthentication.ApiKeyScheme);

        services.AddAuthorization(KontaktPolicies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, KontaktAuthorizationResultHandler>();
        services.AddRateLimiter(PhiReadLimiter.Add);
        return services;
    }

    public static WebApplication UseKontaktSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: only callers allowed to read PHI count against their limit.
        app.UseRateLimiter();
        return app;
    }

    private static void ConfigureBearer(JwtBearerOptions bearer)
    {
        // Claims keep their JWT names (sub, role), the same as an API key's.
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters.NameClaimType = KontaktClaims.Actor;
        bearer.TokenValidationParameters.RoleClaimType = KontaktClaims.Role;
        bearer.Events = new JwtBearerEvents { OnTokenValidated = AcceptTokenAsync };
    }

    /// <summary>Requires a subject (the actor of the access log) and takes roles from <c>roles</c> as well as <c>role</c>.</summary>
    private static Task AcceptTokenAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.FindFirst(KontaktClaims.Actor) is null)
        {
            context.Fail("The token has no sub claim.");
            return Task.CompletedTask;
        }
        foreach (var role in identity.FindAll("roles").ToList())
        {
            identity.AddClaim(new Claim(KontaktClaims.Role, role.Value));
        }
        return Task.CompletedTask;
    }
}
