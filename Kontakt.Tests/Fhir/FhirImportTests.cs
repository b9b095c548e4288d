using System.Net;
using System.Text.Json;
using Kontakt.Core.Security;
using Kontakt.Tests.Imports;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

/// <summary><c>POST /fhir/$import</c> end to end: kick-off, polling, the manifest and the error file; the runner runs in this process.</summary>
public sealed class FhirImportTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task The_60_Synthea_Patients_imported_as_a_job_are_the_same_people_as_created_one_by_one()
    {
        var lines = SyntheaFhir.PatientLines();
        var statusUrl = await _client.StartFhirImportAsync(string.Join('\n', lines) + "\n");

        var manifest = await _client.ManifestAsync(statusUrl);
        var output = Assert.Single(manifest.GetProperty("output").EnumerateArray());
        Assert.Equal(("Patient", 60), (output.GetProperty("type").GetString(), output.GetProperty("count").GetInt32()));
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        Assert.True(manifest.GetProperty("requiresAccessToken").GetBoolean());
        Assert.EndsWith("/fhir/$import", manifest.GetProperty("request").GetString(), StringComparison.Ordinal);
        Assert.True(manifest.GetProperty("transactionTime").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));

        // Each Patient created one by one afterwards is a person already known: 200 with the ID the job's record got.
        var jobId = FhirImportRequests.JobIdOf(statusUrl);
        var locations = new HashSet<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            using var created = await _client.PostFhirAsync("/fhir/Patient", lines[i], "return=minimal");
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            var patientId = await api.Database.ScalarAsync<Guid>(
                "SELECT p.patient_id FROM phi.records r JOIN phi.patients p USING (patient_key) WHERE r.record_id = @id",
                ("id", ImportRequests.DerivedRecordId(jobId, i + 1)));
            Assert.Equal($"/fhir/Patient/{patientId:D}", created.Headers.Location!.OriginalString);
            locations.Add(created.Headers.Location.OriginalString);
        }
        Assert.Equal(60, locations.Count);
    }

    [Fact]
    public async Task Malformed_JSON_another_resource_type_and_an_invalid_Patient_each_get_an_OperationOutcome_naming_the_line_and_no_value()
    {
        var tag = Guid.NewGuid().ToString("N");
        var (valid, _) = FhirTesting.UniquePatient();
        var malformed = $"{{\"resourceType\":\"Patient\",\"name\":[{{\"text\":\"Secretname{tag}\"";
        var observation = $"{{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{{\"text\":\"Secretcode{tag}\"}}}}";
        var (invalid, _) = FhirTesting.UniquePatient(color: "Secretcolor" + tag);
        var file = string.Join('\n', valid.ToJsonString(), malformed, observation, invalid.ToJsonString()) + "\n";

        var statusUrl = await _client.StartFhirImportAsync(file);
        var manifest = await _client.ManifestAsync(statusUrl);
        Assert.Equal(1, manifest.GetProperty("output")[0].GetProperty("count").GetInt32());
        var error = Assert.Single(manifest.GetProperty("error").EnumerateArray());
        Assert.Equal(("OperationOutcome", 3), (error.GetProperty("type").GetString(), error.GetProperty("count").GetInt32()));

        using var response = await _client.GetAsync(new Uri(error.GetProperty("url").GetString()!, UriKind.Absolute));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FhirImportRequests.FhirNdjson, response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(tag, text, StringComparison.Ordinal);
        var outcomes = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        Assert.Equal([2, 3, 4], outcomes.Select(LineOf));
        Assert.Equal(["Patient"], FhirTesting.Expressions(outcomes[0]));
        Assert.Equal(["Patient.resourceType"], FhirTesting.Expressions(outcomes[1]));
        Assert.Equal(["Patient.extension[0].value"], FhirTesting.Expressions(outcomes[2]));
        Assert.All(outcomes, o => Assert.StartsWith($"Line {LineOf(o)}: ", o.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_file_posted_again_by_the_same_key_is_the_same_job()
    {
        var (patient, _) = FhirTesting.UniquePatient();
        var file = patient.ToJsonString() + "\n";
        var first = await _client.StartFhirImportAsync(file);
        var second = await _client.StartFhirImportAsync(file);
        Assert.Equal(first, second);
        Assert.Equal(1, (await _client.ManifestAsync(first)).GetProperty("output")[0].GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Without_Prefer_respond_async_it_is_a_400_and_with_another_content_type_a_415_and_nothing_is_stored()
    {
        var jobsBefore = await api.Database.CountAsync("phi.import_jobs");
        var file = FhirTesting.UniquePatient().Patient.ToJsonString() + "\n";

        using var noPrefer = await _client.PostFhirImportAsync(file, prefer: null);
        Assert.Equal(HttpStatusCode.BadRequest, noPrefer.StatusCode);
        var outcome = await noPrefer.FhirJsonAsync();
        Assert.Equal(["Prefer"], FhirTesting.Expressions(outcome));
        Assert.Contains("respond-async", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);

        using var wrongType = await _client.PostFhirImportAsync(file, contentType: ImportRequests.Ndjson);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal("OperationOutcome", (await wrongType.FhirJsonAsync()).GetProperty("resourceType").GetString());
        Assert.Equal(jobsBefore, await api.Database.CountAsync("phi.import_jobs"));
    }

    [Fact]
    public async Task Without_a_key_it_is_a_401_and_with_an_analyst_key_a_403()
    {
        var file = FhirTesting.UniquePatient().Patient.ToJsonString() + "\n";
        using var bare = api.Factory.CreateDefaultClient();
        using var anonymous = await bare.PostFhirImportAsync(file);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var analyst = await _client.PostFhirImportAsync(file, key: api.Factory.Keys[KontaktRoles.Analyst]);
        Assert.Equal(HttpStatusCode.Forbidden, analyst.StatusCode);
        using var status = new HttpRequestMessage(HttpMethod.Get, $"/fhir/$import-status/{Guid.NewGuid():D}");
        status.Headers.Add(RoleKeyHandler.Header, api.Factory.Keys[KontaktRoles.Analyst]);
        using var analystPoll = await _client.SendAsync(status);
        Assert.Equal(HttpStatusCode.Forbidden, analystPoll.StatusCode);
    }

    private static int LineOf(JsonElement outcome) =>
        outcome.GetProperty("extension").EnumerateArray()
            .Single(e => e.GetProperty("url").GetString() == "https://kontakt.example/fhir/StructureDefinition/import-line")
            .GetProperty("valueInteger").GetInt32();
}
