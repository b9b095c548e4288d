using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Kontakt.Api.Security;

/// <summary>The authentication schemes and how a request picks one.</summary>
public static class KontaktAuthentication
{
    /// <summary>The default scheme when bearer tokens are on: forwards to <see cref="ApiKeyScheme"/> or <see cref="BearerScheme"/>
    /// (without them, <see cref="ApiKeyScheme"/> is the default itself).</summary>
    public const string Scheme = "Kontakt";

    public const string ApiKeyScheme = "ApiKey";

    public const string ApiKeyHeader = "X-Api-Key";

    public const string BearerScheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>The configuration section <c>dotnet user-jwts</c> writes; JWT bearer is on only when it exists.</summary>
    public const string BearerSection = "Authentication:Schemes:" + BearerScheme;

    /// <summary>Whether bearer tokens are accepted under <paramref name="configuration"/>.</summary>
    public static bool BearerEnabled(IConfiguration configuration) => configuration.GetSection(BearerSection).Exists();

    /// <summary>The schemes a 401 invites the client to use, each with its own <c>WWW-Authenticate</c>.</summary>
    public static IReadOnlyList<string> ChallengeSchemes(IConfiguration configuration) =>
        BearerEnabled(configuration) ? [ApiKeyScheme, BearerScheme] : [ApiKeyScheme];

    internal static string SelectScheme(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization;
        return authorization.Count == 1
               && authorization[0]!.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
               && BearerEnabled(http.RequestServices.GetRequiredService<IConfiguration>())
            ? BearerScheme
            : ApiKeyScheme;
    }
}
