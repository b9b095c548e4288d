using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using Kontakt.Api.Security;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Kontakt.Tests.Security;

/// <summary>
/// Every endpoint the application maps, called with every role, no key and a bad key, against the
/// issue's table of who may do what. A new endpoint under none of the table's paths fails here
/// until it is given a row.
/// </summary>
public sealed partial class RoleMatrixTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] Anyone = ["(anonymous)"];

    // The issue's table: path prefix → roles that may call it (Anyone: no credential needed).
    private static readonly (string Prefix, string[] Roles)[] Table =
    [
        ("/v1/records", [KontaktRoles.Ingest]),
        // Uploading an import is ingest; reading and cancelling jobs also admin (who sees every client's jobs).
        ("POST /v1/imports", [KontaktRoles.Ingest]),
        ("/v1/imports", [KontaktRoles.Ingest, KontaktRoles.Admin]),
        ("/v1/colors", [KontaktRoles.Ingest, KontaktRoles.Analyst, KontaktRoles.Admin]),
        ("/v1/patients", [KontaktRoles.Analyst, KontaktRoles.Admin]),
        ("/v1/snapshots", [KontaktRoles.Analyst, KontaktRoles.Admin]),
        ("/v1/audit", [KontaktRoles.Auditor]),
        ("/v1/admin/keys", [KontaktRoles.Admin]),
        ("/fhir/metadata", Anyone),
        ("/fhir/Patient/", [KontaktRoles.Analyst, KontaktRoles.Admin]),
        ("/fhir/Patient", [KontaktRoles.Ingest]),
        // $import and its status URL: ingest keys, each seeing its own jobs (before the generic /fhir/ row).
        ("/fhir/$import", [KontaktRoles.Ingest]),
        ("/fhir/", [KontaktRoles.Ingest]),
        ("/health/", Anyone),
        ("/metrics", Anyone),
    ];

    private const string BadKey = "kontakt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Fact]
    public async Task Every_endpoint_answers_each_role_no_key_and_a_bad_key_as_the_table_says()
    {
        var endpoints = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count >= 10, $"only {endpoints.Count} endpoints found");
        using var bare = api.Factory.CreateDefaultClient();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                // A row may name a method ("POST /v1/…") for a path whose methods differ in who may call them.
                var rule = Table.Where(r => $"{method} {path}".StartsWith(r.Prefix, StringComparison.Ordinal) || path.StartsWith(r.Prefix, StringComparison.Ordinal))
                    .Select(r => r.Roles).FirstOrDefault();
                Assert.True(rule is not null, $"{method} {path} is in no row of the role table: decide who may call it, then add it here.");
                var url = Concrete(path);
                foreach (var role in KontaktRoles.All)
                {
                    var status = await SendAsync(bare, method, url, api.Factory.Keys[role]);
                    var expectAllowed = rule == Anyone || rule.Contains(role);
                    if (expectAllowed ? status is 401 or 403 or >= 500 : status != 403)
                    {
                        failures.Add($"{method} {url} as {role}: {status}");
                    }
                }
                var anonymous = await SendAsync(bare, method, url, key: null);
                var bad = await SendAsync(bare, method, url, BadKey);
                var expected = rule == Anyone ? "open" : "401";
                if (rule == Anyone ? anonymous is 401 or 403 or >= 500 : anonymous != 401)
                {
                    failures.Add($"{method} {url} without a key: {anonymous} (expected {expected})");
                }
                if (rule == Anyone ? bad is 401 or 403 or >= 500 : bad != 401)
                {
                    failures.Add($"{method} {url} with a bad key: {bad} (expected {expected})");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task An_endpoint_nobody_opened_is_denied_to_every_role()
    {
        var services = api.Factory.Services;
        var fallback = await services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        var http = new DefaultHttpContext();
        http.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/v1/new-thing"), 0, EndpointMetadataCollection.Empty, "new"));
        var authorization = services.GetRequiredService<IAuthorizationService>();
        foreach (var role in KontaktRoles.All)
        {
            var user = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(KontaktClaims.Actor, "someone"), new Claim(KontaktClaims.Role, role)],
                KontaktAuthentication.ApiKeyScheme, KontaktClaims.Actor, KontaktClaims.Role));
            var result = await authorization.AuthorizeAsync(user, http, fallback);
            Assert.False(result.Succeeded, $"{role} may call an endpoint nobody opened");
        }
    }

    [Fact]
    public async Task A_path_with_no_endpoint_needs_a_key_and_then_answers_404()
    {
        using var bare = api.Factory.CreateDefaultClient();
        Assert.Equal(401, await SendAsync(bare, "GET", "/v1/nothing-here", key: null));
        Assert.Equal(404, await SendAsync(bare, "GET", "/v1/nothing-here", api.Factory.Keys[KontaktRoles.Analyst]));
    }

    [Fact]
    public async Task Swagger_and_health_need_no_key()
    {
        using var bare = api.Factory.CreateDefaultClient();
        Assert.Equal(200, await SendAsync(bare, "GET", "/swagger/v1/swagger.json", key: null));
        Assert.Equal(200, await SendAsync(bare, "GET", "/swagger/index.html", key: null));
        Assert.Equal(200, await SendAsync(bare, "GET", "/health/live", key: null));
    }

    private static async Task<int> SendAsync(HttpClient client, string method, string url, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (key is not null)
        {
            request.Headers.Add(KontaktAuthentication.ApiKeyHeader, key);
        }
        if (method is "POST" or "PUT" or "PATCH")
        {
            // Empty objects: valid JSON that no endpoint accepts as a record or a key, so nothing is stored.
            request.Content = new StringContent(url.EndsWith("/batch", StringComparison.Ordinal) ? "[{}]" : "{}", Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == KontaktAuthentication.ApiKeyScheme);
        }
        return (int)response.StatusCode;
    }

    private static string Concrete(string pattern) => Parameter().Replace(pattern, match =>
        match.Groups[1].Value.Equals("patientId", StringComparison.OrdinalIgnoreCase) ? Guid.NewGuid().ToString() : "no-such-" + match.Groups[1].Value);

    [GeneratedRegex(@"\{([A-Za-z]+)[^}]*\}")]
    private static partial Regex Parameter();
}
