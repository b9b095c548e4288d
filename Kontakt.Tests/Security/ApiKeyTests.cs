using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kontakt.Api.Security;
using Kontakt.Core.Records;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Security;

/// <summary>API keys: how they are stored, refused, managed through /v1/admin/keys, and revoked.</summary>
public sealed class ApiKeyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Manifest = "/v1/snapshots/public/manifest";

    private HttpRequestMessage Get(string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(KontaktAuthentication.ApiKeyHeader, key ?? "");
        return request;
    }

    [Fact]
    public async Task No_key_gets_a_401_problem_with_www_authenticate()
    {
        using var bare = api.Factory.CreateDefaultClient();
        using var response = await bare.GetAsync(Manifest);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var header = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("ApiKey", header.Scheme);
        Assert.Contains("X-Api-Key", header.Parameter, StringComparison.Ordinal);
        Assert.Equal(401, (await response.JsonAsync()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_key_of_the_wrong_role_gets_a_403_problem_naming_the_roles_that_may()
    {
        using var response = await api.Client.SendAsync(Get(Manifest, api.Factory.Keys[KontaktRoles.Ingest]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.Equal(403, body.GetProperty("status").GetInt32());
        Assert.Contains("analyst, admin", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_stored_only_as_their_sha256_and_record_their_last_use()
    {
        var created = await new ApiKeyStore(api.Database.DataSource).CreateAsync("stored-" + Guid.NewGuid().ToString("N")[..8], KontaktRoles.Analyst, default);
        Assert.Matches("^kontakt_[A-Za-z0-9_-]{43}$", created.Key);
        Assert.DoesNotContain(created.Key, created.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM security.api_keys WHERE key_hash = sha256(convert_to(@key, 'UTF8'))", ("key", created.Key)));
        Assert.Equal(0, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM security.api_keys k WHERE row_to_json(k)::text LIKE '%' || @secret || '%'", ("secret", created.Key[8..])));

        using var response = await api.Client.SendAsync(Get(Manifest, created.Key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await api.Database.ScalarAsync<bool>(
            "SELECT last_used_at IS NOT NULL FROM security.api_keys WHERE key_name = @name", ("name", created.Name)));
    }

    [Fact]
    public async Task Admins_create_list_and_revoke_keys_and_a_revoked_key_is_refused_within_5_seconds()
    {
        var name = "feed-" + Guid.NewGuid().ToString("N")[..8];
        using var create = await api.Client.PostAsJsonAsync("/v1/admin/keys", new { role = "analyst", name });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var created = await create.JsonAsync();
        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith("kontakt_", key, StringComparison.Ordinal);
        Assert.Equal("analyst", created.GetProperty("role").GetString());

        using (var again = await api.Client.PostAsJsonAsync("/v1/admin/keys", new { role = "analyst", name }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        using (var reserved = await api.Client.PostAsJsonAsync("/v1/admin/keys", new { role = "ingest", name = RecordClients.Interfaces }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, reserved.StatusCode);
        }
        using (var invalid = await api.Client.PostAsJsonAsync("/v1/admin/keys", new { role = "superuser", name = "bad name!" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            var errors = (await invalid.JsonAsync()).GetProperty("errors");
            Assert.True(errors.TryGetProperty("role", out _) && errors.TryGetProperty("name", out _));
        }

        var listed = await api.Client.GetStringAsync("/v1/admin/keys");
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        var entry = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single(k => k.GetProperty("name").GetString() == name);
        Assert.False(entry.TryGetProperty("key", out _));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("revokedAt").ValueKind);

        using (var works = await api.Client.SendAsync(Get(Manifest, key)))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        using (var revoke = await api.Client.DeleteAsync($"/v1/admin/keys/{name}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }
        await Revocation.AssertRefusedWithinCacheLifetimeAsync(async () =>
        {
            using var response = await api.Client.SendAsync(Get(Manifest, key));
            return response.StatusCode;
        });

        using (var twice = await api.Client.DeleteAsync($"/v1/admin/keys/{name}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        }
        var after = JsonDocument.Parse(await api.Client.GetStringAsync("/v1/admin/keys")).RootElement.EnumerateArray().Single(k => k.GetProperty("name").GetString() == name);
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task A_name_in_use_cannot_be_given_to_a_second_key_until_the_first_is_revoked()
    {
        var store = new ApiKeyStore(api.Database.DataSource);
        var name = "reuse-" + Guid.NewGuid().ToString("N")[..8];
        await store.CreateAsync(name, KontaktRoles.Ingest, default);
        await Assert.ThrowsAsync<ApiKeyNameTakenException>(() => store.CreateAsync(name, KontaktRoles.Admin, default));
        Assert.True(await store.RevokeAsync(name, default));
        var second = await store.CreateAsync(name, KontaktRoles.Admin, default);
        Assert.Equal(KontaktRoles.Admin, (await store.FindAsync(second.Key, default))?.Role);
    }
}
