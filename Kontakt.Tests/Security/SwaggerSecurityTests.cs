using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Security;

/// <summary>The OpenAPI document offers "Authorize" for the accepted schemes and says who may call each operation.</summary>
public sealed class SwaggerSecurityTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static async Task<JsonElement> DocumentAsync(KontaktApiFactory factory)
    {
        using var client = factory.CreateDefaultClient();
        return JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
    }

    private static string Description(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("description").GetString() ?? "";

    [Fact]
    public async Task The_api_key_scheme_is_offered_and_each_operation_names_its_roles()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        var document = await DocumentAsync(factory);
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        var apiKey = schemes.GetProperty("ApiKey");
        Assert.Equal("apiKey", apiKey.GetProperty("type").GetString());
        Assert.Equal("header", apiKey.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", apiKey.GetProperty("name").GetString());
        Assert.False(schemes.TryGetProperty("Bearer", out _));

        Assert.Contains("**Roles:** auditor.", Description(document, "/v1/audit/patients/{patientId}", "get"), StringComparison.Ordinal);
        Assert.Contains("**Roles:** analyst, admin.", Description(document, "/v1/patients/{patientId}", "get"), StringComparison.Ordinal);
        Assert.Contains("**Roles:** ingest.", Description(document, "/v1/records", "post"), StringComparison.Ordinal);
        Assert.Contains("**Roles:** admin.", Description(document, "/v1/admin/keys", "post"), StringComparison.Ordinal);
        Assert.Contains("no credentials needed", Description(document, "/health/live", "get"), StringComparison.Ordinal);

        var security = document.GetProperty("paths").GetProperty("/v1/records").GetProperty("post").GetProperty("security");
        Assert.True(Assert.Single(security.EnumerateArray()).TryGetProperty("ApiKey", out _));
        Assert.Equal(0, document.GetProperty("paths").GetProperty("/health/live").GetProperty("get").GetProperty("security").GetArrayLength());
    }

    [Fact]
    public async Task With_bearer_configured_the_bearer_scheme_is_offered_too()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:ValidIssuer"] = "kontakt-tests",
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = "kontakt",
        });
        var document = await DocumentAsync(factory);
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var security = document.GetProperty("paths").GetProperty("/v1/records").GetProperty("post").GetProperty("security");
        Assert.Equal(2, security.GetArrayLength());
    }
}
