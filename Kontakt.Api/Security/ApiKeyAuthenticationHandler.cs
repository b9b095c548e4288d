using System.Security.Claims;
using System.Text.Encodings.Web;
using Kontakt.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace Kontakt.Api.Security;

/// <summary>Authenticates the key in <c>X-Api-Key</c> against <c>security.api_keys</c> (through <see cref="ApiKeyCache"/>).</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(KontaktAuthentication.ApiKeyHeader, out var values))
        {
            return AuthenticateResult.NoResult();
        }
        if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.Fail("Exactly one X-Api-Key header with a value is expected.");
        }
        ApiKeyIdentity? key;
        try
        {
            key = await keys.FindAsync(values[0]!, Context.RequestAborted);
        }
        catch (NpgsqlException)
        {
            // Not the client's fault: answered 503 with Retry-After, not 401 (KontaktAuthorizationResultHandler).
            Context.Features.Set(KeyStoreUnavailable.Instance);
            return AuthenticateResult.Fail("The API key store cannot be reached.");
        }
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not valid or has been revoked.");
        }
        var identity = new ClaimsIdentity(
            [new Claim(KontaktClaims.Actor, key.Name), new Claim(KontaktClaims.Role, key.Role)],
            Scheme.Name, KontaktClaims.Actor, KontaktClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, $"{KontaktAuthentication.ApiKeyScheme} header=\"{KontaktAuthentication.ApiKeyHeader}\"");
        return Task.CompletedTask;
    }
}
