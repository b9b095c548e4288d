using System.Globalization;
using System.Text.Json;
using Kontakt.Tests.Fhir;
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
            ["/v1/snapshots/public/manifest"] = ["200", "400", "429"],
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

    [Fact]
    public async Task Every_FHIR_operation_is_documented_with_a_summary_and_FHIR_JSON_answers()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var paths = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement.GetProperty("paths");

        // FHIR operations answer application/fhir+json only, so the application/json comparison below does not cover them.
        var expected = new Dictionary<string, string[]>
        {
            ["get /fhir/metadata"] = ["200"],
            ["post /fhir/Patient"] = ["201", "200", "400", "413", "415", "500", "503", "504"],
            ["post /fhir"] = ["200", "400", "413", "415", "500", "503", "504"],
            ["get /fhir/Patient/{id}"] = ["200", "404"],
            ["get /fhir/Patient/{id}/_history"] = ["200", "400", "404"],
            ["post /fhir/$import"] = ["202", "400", "413", "415"],
            ["get /fhir/$import-status/{jobId}"] = ["200", "202", "404", "500"],
            ["delete /fhir/$import-status/{jobId}"] = ["202", "404", "409"],
            ["get /fhir/$import-status/{jobId}/errors"] = ["200", "404"],
        };
        // $import follows Bulk Data: the manifest is JSON, the error file NDJSON, and a poll while the job runs has no body.
        var otherContent = new Dictionary<string, string[]>
        {
            ["get /fhir/$import-status/{jobId} 200"] = ["application/json"],
            ["get /fhir/$import-status/{jobId} 202"] = [],
            ["get /fhir/$import-status/{jobId}/errors 200"] = ["application/fhir+ndjson"],
        };
        var fhirOperations =
            from path in paths.EnumerateObject()
            where path.Name.StartsWith("/fhir", StringComparison.Ordinal)
            from operation in path.Value.EnumerateObject()
            select $"{operation.Name} {path.Name}";
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), fhirOperations.Order(StringComparer.Ordinal));
        foreach (var (key, statuses) in expected)
        {
            var (method, path) = (key.Split(' ')[0], key.Split(' ')[1]);
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), key);
            Assert.Equal(statuses, operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                var contentTypes = response.Value.TryGetProperty("content", out var content) ? content.EnumerateObject().Select(c => c.Name).ToArray() : [];
                Assert.Equal(otherContent.GetValueOrDefault($"{key} {response.Name}", ["application/fhir+json"]), contentTypes);
            }
            if (method == "post" && path != "/fhir/$import")
            {
                Assert.True(operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/fhir+json").TryGetProperty("example", out _), $"{key} has no request example");
            }
        }
    }

    [Fact]
    public async Task Each_json_operation_declares_exactly_the_properties_its_endpoint_returns()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var checkedResponses = new HashSet<string>();
        async Task<JsonElement> CheckAsync(string method, string path, Task<HttpResponseMessage> sending) =>
            await AssertMatchesDeclaredAsync(document, checkedResponses, method, path, await sending);

        var record = await CheckAsync("post", "/v1/records", client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName())));
        await CheckAsync("post", "/v1/records", client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName()), prefer: "respond-async"));
        var batch = JsonSerializer.Serialize(new[] { ApiJson.Record(TestRecords.UniqueName()), ApiJson.Record(TestRecords.UniqueName()) });
        await CheckAsync("post", "/v1/records/batch", client.PostJsonTextAsync("/v1/records/batch", batch));
        await CheckAsync("post", "/v1/records/batch", client.PostJsonTextAsync("/v1/records/batch", batch, prefer: "respond-async"));

        await CheckAsync("get", "/v1/records/{recordId}", client.GetAsync($"/v1/records/{record.GetProperty("recordId").GetString()}"));
        var patientId = record.GetProperty("patientId").GetString();
        await CheckAsync("get", "/v1/patients/{patientId}", client.GetAsync($"/v1/patients/{patientId}"));
        await CheckAsync("get", "/v1/patients/{patientId}", client.GetAsync($"/v1/patients/{patientId}?asOf=2999-01-01T00:00:00Z"));
        await CheckAsync("get", "/v1/patients/{patientId}/history", client.GetAsync($"/v1/patients/{patientId}/history"));
        await CheckAsync("get", "/v1/snapshots/public/manifest", client.GetAsync("/v1/snapshots/public/manifest"));
        await CheckAsync("get", "/v1/audit/patients/{patientId}", client.GetAsync($"/v1/audit/patients/{patientId}"));
        await CheckAsync("get", "/v1/colors", client.GetAsync("/v1/colors"));
        await CheckAsync("get", "/v1/audit/access-events", client.GetAsync("/v1/audit/access-events"));
        await CheckAsync("post", "/v1/admin/keys", client.PostJsonTextAsync("/v1/admin/keys", $$"""{"role":"ingest","name":"openapi-{{Guid.NewGuid():N}}"}"""));
        await CheckAsync("get", "/v1/admin/keys", client.GetAsync("/v1/admin/keys"));
        var importFile = new StringContent($"name,dob\n{TestRecords.UniqueName()},1970-01-01\n", System.Text.Encoding.UTF8, "text/csv");
        var import = await CheckAsync("post", "/v1/imports", client.PostAsync("/v1/imports", importFile));
        await CheckAsync("post", "/v1/imports", client.PostAsync("/v1/imports", importFile));
        await CheckAsync("get", "/v1/imports", client.GetAsync("/v1/imports"));
        await CheckAsync("get", "/v1/imports/{jobId}", client.GetAsync($"/v1/imports/{import.GetProperty("jobId").GetString()}"));
        using var fhirImport = await client.PostFhirImportAsync(FhirTesting.UniquePatient().Patient.ToJsonString() + "\n");
        var fhirStatus = fhirImport.Content.Headers.ContentLocation!.OriginalString;
        await client.ManifestAsync(fhirStatus);
        await CheckAsync("get", "/fhir/$import-status/{jobId}", client.GetAsync(new Uri(fhirStatus, UriKind.Relative)));
        await CheckAsync("get", "/health/live", client.GetAsync("/health/live"));
        await CheckAsync("get", "/health/ready", client.GetAsync("/health/ready"));

        var declaredJsonSuccesses =
            from path in document.GetProperty("paths").EnumerateObject()
            from operation in path.Value.EnumerateObject()
            from response in operation.Value.GetProperty("responses").EnumerateObject()
            where response.Name.StartsWith('2') && response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out _)
            select $"{operation.Name} {path.Name} {response.Name}";
        Assert.Equal(declaredJsonSuccesses.Order(StringComparer.Ordinal), checkedResponses.Order(StringComparer.Ordinal));
    }

    private static async Task<JsonElement> AssertMatchesDeclaredAsync(
        JsonElement document, HashSet<string> checkedResponses, string method, string path, HttpResponseMessage response)
    {
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {status}");
        var declared = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses")
            .GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var body = await response.JsonAsync();
        var schema = Resolve(document, declared);
        if (schema.TryGetProperty("items", out var items))
        {
            Assert.Equal(JsonValueKind.Array, body.ValueKind);
            Assert.NotEqual(0, body.GetArrayLength());
            foreach (var element in body.EnumerateArray())
            {
                AssertSameProperties(Resolve(document, items), element, $"{method} {path} {status}");
            }
        }
        else
        {
            AssertSameProperties(schema, body, $"{method} {path} {status}");
        }
        checkedResponses.Add($"{method} {path} {status}");
        return body;
    }

    private static void AssertSameProperties(JsonElement schema, JsonElement body, string operation)
    {
        var declared = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        var actual = body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.True(declared.SequenceEqual(actual), $"{operation}: declares [{string.Join(", ", declared)}], returns [{string.Join(", ", actual)}]");
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }
        // "#/components/schemas/RecordResult"
        var name = reference.GetString()!.Split('/')[^1];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}
