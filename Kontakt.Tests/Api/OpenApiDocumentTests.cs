using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

public sealed class OpenApiDocumentTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Every_endpoint_is_documented_with_a_summary_its_status_codes_and_examples()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var paths = document.GetProperty("paths");

        var expected = new Dictionary<string, string[]>
        {
            ["/v1/records"] = ["201", "202", "400", "409", "413", "415", "500", "503", "504"],
            ["/v1/records/batch"] = ["201", "202", "400", "409", "413", "415", "500", "503", "504"],
            ["/v1/patients/{patientId}"] = ["200", "400", "404"],
            ["/v1/patients/{patientId}/history"] = ["200", "400", "404"],
            ["/v1/snapshots/public/manifest"] = ["200", "400"],
            ["/v1/audit/patients/{patientId}"] = ["200", "400", "404"],
            ["/v1/colors"] = ["200", "304"],
            ["/health/live"] = ["200"],
            ["/health/ready"] = ["200", "503"],
        };
        foreach (var (path, statuses) in expected)
        {
            var operation = paths.GetProperty(path).EnumerateObject().Single().Value;
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), path);
            Assert.Equal(statuses, operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
            var success = operation.GetProperty("responses").GetProperty(statuses[0]);
            Assert.True(success.GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), $"{path} has no response example");
            if (operation.TryGetProperty("requestBody", out var body))
            {
                Assert.True(body.GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), $"{path} has no request example");
            }
        }
        var snapshot = paths.GetProperty("/v1/snapshots/public").GetProperty("get");
        Assert.False(string.IsNullOrWhiteSpace(snapshot.GetProperty("summary").GetString()));
        Assert.True(snapshot.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/csv", out _));
        Assert.Contains("respond-async", paths.GetProperty("/v1/records").GetProperty("post").GetProperty("description").GetString(), StringComparison.Ordinal);

        var ui = await client.GetAsync("/swagger/index.html");
        Assert.True(ui.IsSuccessStatusCode);
    }
}
