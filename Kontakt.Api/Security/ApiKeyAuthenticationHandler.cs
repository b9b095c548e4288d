using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace Kontakt.Api.Security;

/// <summary>
/// Authenticates the key in <c>X-Api-Key</c> against <c>security.api_keys</c> (through <see cref="ApiKeyCache"/>, or
/// <see cref="ConnectionKeyMemory"/> when the connection presented the same key before).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys, TimeProvider clock)
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
        var presented = values[0]!;
        if (ConnectionKeyMemory.Recall(Context, presented, clock.GetUtcNow()) is { } remembered)
        {
            return Success(remembered);
        }
        ApiKeyAnswer answer;
        try
        {
            answer = await keys.FindAsync(presented, Context.RequestAborted);
        }
        catch (NpgsqlException)
        {
            // Not the client's fault: answered 503 with Retry-After, not 401 (KontaktAuthorizationResultHandler).
            Context.Features.Set(KeyStoreUnavailable.Instance);
            return AuthenticateResult.Fail("The API key store cannot be reached.");
        }
        if (answer.Key is not { } key)
        {
            return AuthenticateResult.Fail("The API key is not valid or has been revoked.");
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(KontaktClaims.Actor, key.Name), new Claim(KontaktClaims.Role, key.Role)],
            Scheme.Name, KontaktClaims.Actor, KontaktClaims.Role));
        ConnectionKeyMemory.Remember(Context, presented, principal, answer.ExpiresAt);
        return Success(principal);
    }

    private AuthenticateResult Success(ClaimsPrincipal principal) => AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, $"{KontaktAuthentication.ApiKeyScheme} header=\"{KontaktAuthentication.ApiKeyHeader}\"");
        return Task.CompletedTask;
    }
}
