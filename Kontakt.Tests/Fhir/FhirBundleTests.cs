using System.Net;
using System.Text.Json.Nodes;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

public sealed class FhirBundleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task Synthea_Bundles_sent_as_batch_store_their_Patient_and_report_other_resource_types_not_supported()
    {
        foreach (var published in SyntheaFhir.BundleTexts())
        {
            var entryCount = JsonNode.Parse(published)!["entry"]!.AsArray().Count;
            using var response = await Client.PostFhirAsync("/fhir", SyntheaFhir.WithType(published, "batch"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bundle = await response.FhirJsonAsync();
            Assert.Equal("batch-response", bundle.GetProperty("type").GetString());
            var entries = bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("response")).ToArray();
            Assert.Equal(entryCount, entries.Length);
            Assert.Equal("201 Created", entries[0].GetProperty("status").GetString());
            var location = entries[0].GetProperty("location").GetString()!;
            foreach (var other in entries[1..])
            {
                Assert.Equal("404 Not Found", other.GetProperty("status").GetString());
                var issue = other.GetProperty("outcome").GetProperty("issue")[0];
                Assert.Equal("not-supported", issue.GetProperty("code").GetString());
            }

            using var read = await Client.GetAsync(new Uri(location, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);

            using var again = await Client.PostFhirAsync("/fhir", SyntheaFhir.WithType(published, "batch"));
            var first = (await again.FhirJsonAsync()).GetProperty("entry")[0].GetProperty("response");
            Assert.Equal("200 OK", first.GetProperty("status").GetString());
            Assert.Equal(location, first.GetProperty("location").GetString());
        }
    }

    [Fact]
    public async Task A_Synthea_transaction_Bundle_with_other_resource_types_is_refused_whole_and_stores_nothing()
    {
        var records = await api.Database.CountAsync("phi.records");
        using var response = await Client.PostFhirAsync("/fhir", SyntheaFhir.BundleTexts()[2]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var expressions = FhirTesting.Expressions(await response.FhirJsonAsync());
        Assert.Contains("Bundle.entry[1].resource.resourceType", expressions);
        Assert.Equal(records, await api.Database.CountAsync("phi.records"));
    }

    [Fact]
    public async Task A_transaction_with_one_bad_entry_stores_nothing_and_without_it_stores_all()
    {
        var people = Enumerable.Range(0, 3).Select(_ => FhirTesting.UniquePatient().Patient).ToArray();
        var bad = FhirTesting.UniquePatient(birthDate: "1980-04").Patient;
        var records = await api.Database.CountAsync("phi.records");

        using var refused = await Client.PostFhirAsync("/fhir", FhirTesting.Bundle("transaction", people.Append(bad).Select(p => p.DeepClone())).ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Bundle.entry[3].resource.birthDate", FhirTesting.Expressions(await refused.FhirJsonAsync()));
        Assert.DoesNotContain("1980-04", text, StringComparison.Ordinal);
        Assert.Equal(records, await api.Database.CountAsync("phi.records"));

        using var stored = await Client.PostFhirAsync("/fhir", FhirTesting.Bundle("transaction", people.Select(p => p.DeepClone())).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        var bundle = await stored.FhirJsonAsync();
        Assert.Equal("transaction-response", bundle.GetProperty("type").GetString());
        Assert.Equal(["201 Created", "201 Created", "201 Created"],
            bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("response").GetProperty("status").GetString()));
        Assert.Equal(records + 3, await api.Database.CountAsync("phi.records"));
        var patientIds = bundle.GetProperty("entry").EnumerateArray()
            .Select(e => Guid.Parse(e.GetProperty("response").GetProperty("location").GetString()!.Split('/')[^1])).ToArray();
        Assert.Equal([TestRecords.Client], await api.Database.ListAsync(
            "SELECT DISTINCT r.client FROM phi.records r JOIN phi.patients p USING (patient_key) WHERE p.patient_id = ANY(@ids)",
            r => r.GetString(0), ("ids", patientIds)));
    }

    [Fact]
    public async Task A_batch_answers_every_entry_in_order()
    {
        var known = FhirTesting.UniquePatient();
        using var first = await Client.PostFhirAsync("/fhir/Patient", known.Patient.ToJsonString(), "return=minimal");
        var knownLocation = first.Headers.Location!.OriginalString;
        var fresh = FhirTesting.UniquePatient().Patient;
        var invalid = FhirTesting.UniquePatient(color: "not a color at all").Patient;
        var batch = FhirTesting.Bundle("batch", [fresh, known.Patient.DeepClone(), invalid, new JsonObject { ["resourceType"] = "Observation" }]);
        batch["entry"]!.AsArray().Add(new JsonObject
        {
            ["resource"] = FhirTesting.UniquePatient().Patient,
            ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = "Patient/x" },
        });

        using var response = await Client.PostFhirAsync("/fhir", batch.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = (await response.FhirJsonAsync()).GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("response")).ToArray();
        Assert.Equal(["201 Created", "200 OK", "400 Bad Request", "404 Not Found", "405 Method Not Allowed"], entries.Select(e => e.GetProperty("status").GetString()));
        Assert.Equal(knownLocation, entries[1].GetProperty("location").GetString());
        Assert.Equal(["Bundle.entry[2].resource.extension[0].value"], FhirTesting.Expressions(entries[2].GetProperty("outcome")));
        Assert.False(entries[2].TryGetProperty("location", out _));
        Assert.DoesNotContain("not a color", entries[2].GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Bundle_of_more_than_10000_entries_is_refused()
    {
        var minimal = new JsonObject { ["resourceType"] = "Patient", ["birthDate"] = "1980-04-01" };
        var bundle = FhirTesting.Bundle("batch", Enumerable.Range(0, 10_001).Select(_ => minimal.DeepClone()));
        var records = await api.Database.CountAsync("phi.records");
        using var response = await Client.PostFhirAsync("/fhir", bundle.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Bundle.entry"], FhirTesting.Expressions(await response.FhirJsonAsync()));
        Assert.Equal(records, await api.Database.CountAsync("phi.records"));
    }

    [Theory]
    [InlineData("{\"resourceType\": \"Bundle\", \"type\": ", "Bundle")]
    [InlineData("[]", "Bundle")]
    [InlineData("{\"resourceType\": \"Patient\", \"type\": \"batch\"}", "Bundle.resourceType")]
    [InlineData("{\"resourceType\": \"Bundle\", \"type\": \"collection\"}", "Bundle.type")]
    [InlineData("{\"resourceType\": \"Bundle\", \"type\": \"batch\", \"entry\": {}}", "Bundle.entry")]
    public async Task A_body_that_is_not_a_batch_or_transaction_Bundle_is_a_400_OperationOutcome(string body, string expression)
    {
        using var response = await Client.PostFhirAsync("/fhir", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([expression], FhirTesting.Expressions(await response.FhirJsonAsync()));
    }

    [Fact]
    public async Task An_entry_that_is_not_an_object_or_lacks_its_request_fails_alone_in_a_batch()
    {
        var body = $$$"""
            {"resourceType": "Bundle", "type": "batch", "entry": [
              42,
              {"resource": {{{FhirTesting.UniquePatient().Patient.ToJsonString()}}}},
              {"request": {"method": "POST", "url": "Patient"}},
              {"resource": {{{FhirTesting.UniquePatient().Patient.ToJsonString()}}}, "request": {"method": "POST", "url": "Patient"}}
            ]}
            """;
        using var response = await Client.PostFhirAsync("/fhir", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = (await response.FhirJsonAsync()).GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("response")).ToArray();
        Assert.Equal(["400 Bad Request", "400 Bad Request", "400 Bad Request", "201 Created"], entries.Select(e => e.GetProperty("status").GetString()));
        Assert.Equal(["Bundle.entry[0]"], FhirTesting.Expressions(entries[0].GetProperty("outcome")));
        Assert.Equal(["Bundle.entry[1].request"], FhirTesting.Expressions(entries[1].GetProperty("outcome")));
        Assert.Equal(["Bundle.entry[2].resource"], FhirTesting.Expressions(entries[2].GetProperty("outcome")));
    }

    public static TheoryData<string, string> HostileBodies() => new()
    {
        { "/fhir/Patient", new string('[', 100_000) },
        { "/fhir", new string('[', 100_000) },
        { "/fhir/Patient", "{\"resourceType\":\"Patient\",\"extension\":" + string.Concat(Enumerable.Repeat("[{\"url\":\"x\",\"extension\":", 200)) + "[]" + string.Concat(Enumerable.Repeat("}]", 200)) + "}" },
        { "/fhir/Patient", "{\"resourceType\":\"Patient\",\"resourceType\":\"Patient\",\"birthDate\":\"1980-04-01\",\"birthDate\":\"1981-04-01\",\"name\":[{\"text\":\"A B\"}]}" },
        { "/fhir/Patient", "{\"resourceType\":\"Patient\",\"birthDate\":1e999999,\"name\":[{\"text\":\"A B\"}]}" },
        { "/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"\\ud800\"}],\"birthDate\":\"1980-04-01\"}" },
        { "/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":null,\"birthDate\":null}" },
        { "/fhir/Patient", "null" },
        { "/fhir", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[null,{\"resource\":null},{\"resource\":{\"resourceType\":7}},{\"resource\":{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":[]}}]}" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Hostile_bodies_get_a_4xx_OperationOutcome_and_the_service_stays_up(string path, string body)
    {
        var records = await api.Database.CountAsync("phi.records");
        using var response = await Client.PostFhirAsync(path, body);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("OperationOutcome", (await response.FhirJsonAsync()).GetProperty("resourceType").GetString());
        Assert.Equal(records, await api.Database.CountAsync("phi.records"));
        using var alive = await Client.PostFhirAsync("/fhir/Patient", FhirTesting.UniquePatient().Patient.ToJsonString(), "return=minimal");
        Assert.Equal(HttpStatusCode.Created, alive.StatusCode);
    }

    [Fact]
    public async Task Wrong_role_is_403_and_no_key_401_while_metadata_needs_no_key()
    {
        using var bare = api.Factory.CreateDefaultClient();
        var patient = FhirTesting.UniquePatient().Patient.ToJsonString();
        var bundle = FhirTesting.Bundle("batch", [FhirTesting.UniquePatient().Patient]).ToJsonString();

        async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? role, string? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, FhirTesting.FhirJson);
            }
            if (role is not null)
            {
                request.Headers.Add(RoleKeyHandler.Header, api.Factory.Keys[role]);
            }
            using var response = await bare.SendAsync(request);
            return response.StatusCode;
        }

        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Post, "/fhir/Patient", null, patient));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Post, "/fhir/Patient", "analyst", patient));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Post, "/fhir/Patient", "auditor", patient));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Post, "/fhir", null, bundle));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Post, "/fhir", "admin", bundle));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, $"/fhir/Patient/{id}", null));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Get, $"/fhir/Patient/{id}", "ingest"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Get, $"/fhir/Patient/{id}/_history", "auditor"));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(HttpMethod.Get, $"/fhir/Patient/{id}", "admin"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/fhir/metadata", null));
    }
}
