using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kontakt.Core.Fhir;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

public sealed class FhirPatientApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task A_new_person_answers_201_and_the_same_person_again_200_with_the_same_location()
    {
        var (patient, _) = FhirTesting.UniquePatient(color: "LightGoldenRodYellow");

        using var created = await Client.PostFhirAsync("/fhir/Patient", patient.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location?.OriginalString;
        Assert.Matches("^/fhir/Patient/[0-9a-f-]{36}$", location);
        var body = await created.FhirJsonAsync();
        Assert.Equal("Patient", body.GetProperty("resourceType").GetString());
        Assert.Equal(location, "/fhir/Patient/" + body.GetProperty("id").GetString());
        Assert.True(body.GetProperty("meta").TryGetProperty("lastUpdated", out _));
        Assert.Equal("lightgoldenrodyellow", ColorOf(body));
        Assert.False(body.TryGetProperty("name", out _));
        Assert.False(body.TryGetProperty("birthDate", out _));
        Assert.Equal(TestRecords.Client, await api.Database.ScalarAsync<string>(
            "SELECT r.client FROM phi.records r JOIN phi.patients p USING (patient_key) WHERE p.patient_id = @id",
            ("id", Guid.Parse(body.GetProperty("id").GetString()!))));

        // The same person, the name written differently (case, spacing) and without a color: known → 200.
        var again = FhirTesting.Patient(["FHIR", " test"], patient["name"]![0]!["family"]!.GetValue<string>().ToUpperInvariant(), "1980-04-01");
        using var known = await Client.PostFhirAsync("/fhir/Patient", again.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(location, known.Headers.Location?.OriginalString);
        Assert.Equal("lightgoldenrodyellow", ColorOf(await known.FhirJsonAsync()));
    }

    [Fact]
    public async Task The_same_person_as_a_FHIR_Patient_and_as_a_JSON_record_gets_the_same_patient_id()
    {
        var family = "Lovelace" + Guid.NewGuid().ToString("N");
        // Official name (not the first) wins; prefix and suffix are not part of the name; given names then family.
        var patient = new JsonObject
        {
            ["resourceType"] = "Patient",
            ["name"] = new JsonArray(
                new JsonObject { ["use"] = "nickname", ["given"] = new JsonArray("Countess") },
                new JsonObject
                {
                    ["use"] = "official",
                    ["prefix"] = new JsonArray("Lady"),
                    ["given"] = new JsonArray("Augusta", "Ada"),
                    ["family"] = family,
                    ["suffix"] = new JsonArray("PhD"),
                }),
            ["birthDate"] = "1985-12-10",
        };
        using var fhir = await Client.PostFhirAsync("/fhir/Patient", patient.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, fhir.StatusCode);
        var patientId = (await fhir.FhirJsonAsync()).GetProperty("id").GetString();

        using var record = await Client.PostRecordAsync(ApiJson.Record($"Augusta Ada {family}", "1985-12-10"));
        Assert.Equal(HttpStatusCode.Created, record.StatusCode);
        var stored = await record.JsonAsync();
        Assert.Equal(patientId, stored.GetProperty("patientId").GetString());
        Assert.False(stored.GetProperty("newPatient").GetBoolean());

        // A name's text, when present, is the name.
        var texted = new JsonObject
        {
            ["resourceType"] = "Patient",
            ["name"] = new JsonArray(new JsonObject { ["text"] = $"Ada Byron {family}", ["given"] = new JsonArray("Other"), ["family"] = "Name" }),
            ["birthDate"] = "1985-12-10",
        };
        using var byText = await Client.PostFhirAsync("/fhir/Patient", texted.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, byText.StatusCode);
        using var sameByText = await Client.PostRecordAsync(ApiJson.Record($"ada byron {family}", "1985-12-10"));
        Assert.Equal((await byText.FhirJsonAsync()).GetProperty("id").GetString(), (await sameByText.JsonAsync()).GetProperty("patientId").GetString());
    }

    [Theory]
    [InlineData("return=minimal", null)]
    [InlineData("return=representation", "Patient")]
    [InlineData("return=OperationOutcome", "OperationOutcome")]
    [InlineData(null, "Patient")]
    public async Task Prefer_return_decides_the_body(string? prefer, string? resourceType)
    {
        var (patient, _) = FhirTesting.UniquePatient();
        using var response = await Client.PostFhirAsync("/fhir/Patient", patient.ToJsonString(), prefer);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("/fhir/Patient/", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        if (resourceType is null)
        {
            Assert.Equal("", text);
        }
        else
        {
            Assert.Equal(resourceType, JsonDocument.Parse(text).RootElement.GetProperty("resourceType").GetString());
        }
    }

    [Fact]
    public async Task Invalid_Patients_are_refused_with_an_OperationOutcome_naming_the_element_and_never_the_value()
    {
        var marker = "Zyxmark" + Guid.NewGuid().ToString("N")[..10];
        var cases = new (JsonObject Patient, string Expression)[]
        {
            (FhirTesting.Patient([marker], "Quux", "1913"), "Patient.birthDate"),
            (FhirTesting.Patient([marker], "Quux", "2999-01-01"), "Patient.birthDate"),
            (FhirTesting.Patient([marker], "Quux", "1899-12-31"), "Patient.birthDate"),
            (FhirTesting.Patient([marker], "Quux", "1913-02-30"), "Patient.birthDate"),
            (FhirTesting.Patient([marker], "Quux", "1980-04-01", color: marker + "ish"), "Patient.extension[0].value"),
            (FhirTesting.Patient([marker + "\u202E"], "Quux", "1980-04-01"), "Patient.name[0]"),
            (FhirTesting.Patient([], "", "1980-04-01"), "Patient.name[0].family"),
            (new JsonObject { ["resourceType"] = "Patient", ["birthDate"] = "1980-04-01" }, "Patient.name"),
            (new JsonObject { ["resourceType"] = "Patient", ["name"] = new JsonArray(new JsonObject { ["text"] = " " + marker + "\u0007" }), ["birthDate"] = "1980-04-01" }, "Patient.name[0].text"),
            (new JsonObject { ["resourceType"] = "Patient", ["name"] = new JsonArray(new JsonObject { ["text"] = marker }), ["birthDate"] = "1980-04-01", ["nickname"] = marker }, "Patient.nickname"),
            (new JsonObject { ["resourceType"] = "Observation", ["status"] = marker }, "Patient.resourceType"),
        };
        foreach (var (patient, expression) in cases)
        {
            using var response = await Client.PostFhirAsync("/fhir/Patient", patient.ToJsonString());
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{expression}: {(int)response.StatusCode} {text}");
            Assert.Contains(expression, FhirTesting.Expressions(await response.FhirJsonAsync()));
            Assert.DoesNotContain(marker, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("1913", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{\"resourceType\": \"Patient\", \"birthDate\": ")]
    [InlineData("[{\"resourceType\": \"Patient\"}]")]
    [InlineData("\"Patient\"")]
    [InlineData("")]
    public async Task A_body_that_is_not_a_FHIR_JSON_resource_is_a_400_OperationOutcome(string body)
    {
        using var response = await Client.PostFhirAsync("/fhir/Patient", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Patient", FhirTesting.Expressions(await response.FhirJsonAsync()));
    }

    [Fact]
    public async Task A_body_that_is_not_FHIR_JSON_by_content_type_or_too_large_is_refused()
    {
        var (patient, _) = FhirTesting.UniquePatient();
        using var xml = await Client.PostFhirAsync("/fhir/Patient", patient.ToJsonString(), contentType: "application/fhir+xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
        Assert.Equal("OperationOutcome", (await xml.FhirJsonAsync()).GetProperty("resourceType").GetString());

        patient["text"] = new JsonObject { ["status"] = "generated", ["div"] = "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + new string('x', 1_100_000) + "</div>" };
        using var large = await Client.PostFhirAsync("/fhir/Patient", patient.ToJsonString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
    }

    [Fact]
    public async Task Read_gives_the_public_Patient_and_an_unknown_id_a_404_OperationOutcome()
    {
        var (patient, _) = FhirTesting.UniquePatient(color: "sky blue");
        using var created = await Client.PostFhirAsync("/fhir/Patient", patient.ToJsonString(), "return=minimal");
        var location = created.Headers.Location!.OriginalString;

        using var read = await Client.GetAsync(new Uri(location, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var body = await read.FhirJsonAsync();
        Assert.Equal(location, "/fhir/Patient/" + body.GetProperty("id").GetString());
        Assert.Equal("sky blue", ColorOf(body));
        Assert.Equal(["extension", "id", "meta", "resourceType"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        foreach (var missing in new[] { Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            using var notFound = await Client.GetAsync(new Uri($"/fhir/Patient/{missing}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
            Assert.Equal("OperationOutcome", (await notFound.FhirJsonAsync()).GetProperty("resourceType").GetString());
        }
    }

    [Fact]
    public async Task History_is_a_Bundle_of_the_public_versions_in_pages()
    {
        var (patient, fullName) = FhirTesting.UniquePatient(color: "green");
        using var created = await Client.PostFhirAsync("/fhir/Patient", patient.ToJsonString(), "return=minimal");
        var location = created.Headers.Location!.OriginalString;
        using var blue = await Client.PostRecordAsync(ApiJson.Record(fullName, "1980-04-01", "blue"));
        Assert.Equal(HttpStatusCode.Created, blue.StatusCode);

        using var history = await Client.GetAsync(new Uri(location + "/_history", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        var bundle = await history.FhirJsonAsync();
        Assert.Equal("Bundle", bundle.GetProperty("resourceType").GetString());
        Assert.Equal("history", bundle.GetProperty("type").GetString());
        var entries = bundle.GetProperty("entry").EnumerateArray().ToArray();
        Assert.Equal(["blue", "green"], entries.Select(e => ColorOf(e.GetProperty("resource"))));
        Assert.Equal(["200 OK", "201 Created"], entries.Select(e => e.GetProperty("response").GetProperty("status").GetString()));
        Assert.DoesNotContain("birthDate", bundle.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(fullName.Split(' ')[^1], bundle.GetRawText(), StringComparison.Ordinal);

        using var first = await Client.GetAsync(new Uri(location + "/_history?_count=1", UriKind.Relative));
        var firstPage = await first.FhirJsonAsync();
        Assert.Single(firstPage.GetProperty("entry").EnumerateArray());
        var next = firstPage.GetProperty("link").EnumerateArray().Single(l => l.GetProperty("relation").GetString() == "next").GetProperty("url").GetString()!;
        using var second = await Client.GetAsync(new Uri(new Uri(next).PathAndQuery, UriKind.Relative));
        var secondPage = await second.FhirJsonAsync();
        Assert.Equal("blue", ColorOf(firstPage.GetProperty("entry")[0].GetProperty("resource")));
        Assert.Equal("200 OK", firstPage.GetProperty("entry")[0].GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("green", ColorOf(secondPage.GetProperty("entry")[0].GetProperty("resource")));
        Assert.Equal("201 Created", secondPage.GetProperty("entry")[0].GetProperty("response").GetProperty("status").GetString());
        Assert.DoesNotContain(secondPage.GetProperty("link").EnumerateArray(), l => l.GetProperty("relation").GetString() == "next");

        using var unknown = await Client.GetAsync(new Uri($"/fhir/Patient/{Guid.NewGuid()}/_history", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badCount = await Client.GetAsync(new Uri(location + "/_history?_count=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badCount.StatusCode);
    }

    [Fact]
    public async Task The_CapabilityStatement_is_FHIR_4_0_1_and_lists_what_is_supported()
    {
        using var bare = api.Factory.CreateDefaultClient();
        using var response = await bare.GetAsync(new Uri("/fhir/metadata", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statement = await response.FhirJsonAsync();
        Assert.Equal("CapabilityStatement", statement.GetProperty("resourceType").GetString());
        Assert.Equal("4.0.1", statement.GetProperty("fhirVersion").GetString());
        var rest = statement.GetProperty("rest")[0];
        var resource = rest.GetProperty("resource").EnumerateArray().Single();
        Assert.Equal("Patient", resource.GetProperty("type").GetString());
        Assert.Equal(["create", "read", "history-instance"], resource.GetProperty("interaction").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        Assert.Equal(["batch", "transaction"], rest.GetProperty("interaction").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        var operation = Assert.Single(rest.GetProperty("operation").EnumerateArray());
        Assert.Equal(("import", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/import"),
            (operation.GetProperty("name").GetString(), operation.GetProperty("definition").GetString()));
    }

    private static string? ColorOf(JsonElement patient) =>
        patient.TryGetProperty("extension", out var extensions)
            ? extensions.EnumerateArray().Single(e => e.GetProperty("url").GetString() == FhirPatientMapping.FavoriteColorUrl).GetProperty("valueString").GetString()
            : null;
}
