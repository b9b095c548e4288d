using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Kontakt.Api.Security;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kontakt.Tests.Security;

/// <summary>
/// JWT bearer tokens, configured the way <c>dotnet user-jwts</c> writes it
/// (<c>Authentication:Schemes:Bearer</c> with ValidIssuer, ValidAudiences and a symmetric SigningKey).
/// </summary>
public sealed class JwtBearerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Issuer = "kontakt-tests";
    private const string Audience = "kontakt";
    private const string Manifest = "/v1/snapshots/public/manifest";
    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    private static readonly Dictionary<string, string?> BearerSettings = new()
    {
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Id"] = "test",
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(SigningKey),
        ["Authentication:Schemes:Bearer:SigningKeys:0:Length"] = "32",
    };

    private static string Token(
        Dictionary<string, object> claims, byte[]? key = null, string audience = Audience, DateTime? expires = null)
    {
        var notBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddHours(-1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_valid_token_is_accepted_with_its_role_from_role_or_roles()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, BearerSettings);
        using var client = factory.CreateDefaultClient();

        using var analyst = await GetAsync(client, Manifest, Token(new() { ["sub"] = "ana@clinic", ["role"] = KontaktRoles.Analyst }));
        Assert.Equal(HttpStatusCode.OK, analyst.StatusCode);

        var patientId = Guid.NewGuid();
        var auditor = Token(new() { ["sub"] = "aud@clinic", ["roles"] = new[] { KontaktRoles.Auditor } });
        using var audit = await GetAsync(client, $"/v1/audit/patients/{patientId}", auditor);
        Assert.Equal(HttpStatusCode.NotFound, audit.StatusCode);
        Assert.Equal("aud@clinic", await database.ScalarAsync<string>(
            "SELECT actor FROM security.access_events WHERE @id = ANY(patient_ids)", ("id", patientId)));

        using var wrongRole = await GetAsync(client, $"/v1/audit/patients/{patientId}", Token(new() { ["sub"] = "ana@clinic", ["role"] = KontaktRoles.Analyst }));
        Assert.Equal(HttpStatusCode.Forbidden, wrongRole.StatusCode);

        // API keys keep working next to tokens.
        using var keyed = factory.CreateClient();
        using var byKey = await keyed.GetAsync(Manifest);
        Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);
    }

    [Fact]
    public async Task Tokens_with_the_wrong_signing_key_expired_or_for_another_audience_get_401()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, BearerSettings);
        using var client = factory.CreateDefaultClient();
        var claims = new Dictionary<string, object> { ["sub"] = "ana@clinic", ["role"] = KontaktRoles.Analyst };
        string[] refused =
        [
            Token(claims, key: RandomNumberGenerator.GetBytes(32)),
            Token(claims, expires: DateTime.UtcNow.AddMinutes(-10)),
            Token(claims, audience: "someone-else"),
            Token(new() { ["role"] = KontaktRoles.Analyst }),
        ];
        foreach (var token in refused)
        {
            using var response = await GetAsync(client, Manifest, token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
    }

    [Fact]
    public async Task Without_credentials_both_schemes_are_offered()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, BearerSettings);
        using var client = factory.CreateDefaultClient();
        using var response = await client.GetAsync(Manifest);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["ApiKey", "Bearer"], response.Headers.WwwAuthenticate.Select(h => h.Scheme).Order());
    }

    [Fact]
    public async Task Without_the_bearer_section_tokens_are_not_accepted()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateDefaultClient();
        using var response = await GetAsync(client, Manifest, Token(new() { ["sub"] = "ana@clinic", ["role"] = KontaktRoles.Analyst }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([KontaktAuthentication.ApiKeyScheme], response.Headers.WwwAuthenticate.Select(h => h.Scheme));
    }
}
