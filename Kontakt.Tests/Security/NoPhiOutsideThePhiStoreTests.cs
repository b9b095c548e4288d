using System.Net;
using System.Text;
using Kontakt.Tests.Faults;
using Kontakt.Tests.Fhir;
using Kontakt.Tests.Imports;
using Kontakt.Tests.Support;
using Npgsql;

namespace Kontakt.Tests.Security;

/// <summary>
/// Marker people — names and a date of birth found nowhere else — sent every way the service can be
/// sent a record, valid and not; then every output the service and its database produce is searched
/// for them: service logs at Debug, the PostgreSQL server log, error bodies, metrics and public answers.
/// </summary>
[Collection(FaultTests.Name)]
public sealed class NoPhiOutsideThePhiStoreTests
{
    private const string MarkerDob = "1913-03-17";
    private static readonly string[] MarkerDobForms = [MarkerDob, "19130317", "17.03.1913", "03/17/1913"];

    [Fact]
    public async Task Marker_names_and_dates_of_birth_reach_no_log_error_metric_or_public_answer()
    {
        await using var postgres = await DedicatedPostgres.StartAsync();
        await RefuseNamesContainingAsync(postgres.ConnectionString, "Refusedmark");
        await using var api = await ApiProcess.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
        });
        var markers = Enumerable.Range(0, 16).Select(_ => MarkerName()).ToArray();
        var outputs = new List<(string Where, string Text)>();

        async Task<HttpResponseMessage> Send(string what, Func<Task<HttpResponseMessage>> request)
        {
            var response = await request();
            outputs.Add((what, await response.Content.ReadAsStringAsync()));
            return response;
        }

        var created = await Send("201", () => api.Client.PostRecordAsync(ApiJson.Record(markers[0], MarkerDob)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var patientId = (await created.JsonAsync()).GetProperty("patientId").GetString()!;
        Assert.Equal(HttpStatusCode.Accepted, (await Send("202", () => api.Client.PostRecordAsync(ApiJson.Record(markers[1], MarkerDob), "respond-async"))).StatusCode);
        var batch = $"[{Json(markers[2], MarkerDob)},{Json("  " + markers[0].ToUpperInvariant() + " ", MarkerDob)}]";
        Assert.Equal(HttpStatusCode.Created, (await Send("batch", () => api.Client.PostJsonTextAsync("/v1/records/batch", batch))).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await Send("impossible date", () => api.Client.PostRecordAsync(ApiJson.Record(markers[3], "1913-02-30")))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send("bidi control", () => api.Client.PostRecordAsync(ApiJson.Record(markers[4] + "\u202E", MarkerDob)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send("too long", () => api.Client.PostRecordAsync(ApiJson.Record(string.Concat(Enumerable.Repeat(markers[5] + " ", 100)), MarkerDob)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send("broken JSON", () => api.Client.PostJsonTextAsync("/v1/records", $"{{\"name\": \"{markers[6]}\", \"dob\": \"{MarkerDob}\", "))).StatusCode);
        var invalidInBatch = $"[{Json(markers[7], MarkerDob)},{Json(markers[7], "not a date")}]";
        Assert.Equal(HttpStatusCode.BadRequest, (await Send("invalid batch", () => api.Client.PostJsonTextAsync("/v1/records/batch", invalidInBatch))).StatusCode);
        var refused = await Send("refused by the database", () => api.Client.PostRecordAsync(ApiJson.Record(markers[8] + " Refusedmark", MarkerDob)));
        Assert.False(refused.IsSuccessStatusCode);

        var fhirCreated = await Send("FHIR 201", () => api.Client.PostFhirAsync("/fhir/Patient", FhirPatient(markers[9], MarkerDob)));
        Assert.Equal(HttpStatusCode.Created, fhirCreated.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send("FHIR impossible date", () => api.Client.PostFhirAsync("/fhir/Patient", FhirPatient(markers[10], "1913-02-30")))).StatusCode);
        var fhirBatch = $$$"""
            {"resourceType":"Bundle","type":"batch","entry":[
              {"resource":{{{FhirPatient(markers[11], MarkerDob)}}},"request":{"method":"POST","url":"Patient"}},
              {"resource":{{{FhirPatient(markers[11], "1913-03")}}},"request":{"method":"POST","url":"Patient"}}]}
            """;
        Assert.Equal(HttpStatusCode.OK, (await Send("FHIR batch", () => api.Client.PostFhirAsync("/fhir", fhirBatch))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send("FHIR transaction", () => api.Client.PostFhirAsync("/fhir", fhirBatch.Replace("\"batch\"", "\"transaction\"", StringComparison.Ordinal)))).StatusCode);
        var fhirLocation = fhirCreated.Headers.Location!.OriginalString;
        await Send("FHIR read", () => api.Client.GetAsync(new Uri(fhirLocation, UriKind.Relative)));
        await Send("FHIR history", () => api.Client.GetAsync(new Uri(fhirLocation + "/_history", UriKind.Relative)));
        // An import job: a stored line, a line refused by validation and one refused by the database.
        var importCsv = $"name,dob\n{markers[12]},{MarkerDob}\n{markers[13]},1913-02-30\n{markers[13]} Refusedmark,{MarkerDob}\n";
        var import = await Send("import", () => api.Client.PostImportAsync(importCsv));
        Assert.Equal(HttpStatusCode.Accepted, import.StatusCode);
        var jobId = (await import.JsonAsync()).GetProperty("jobId").GetString()!;
        outputs.Add(("import job", (await api.Client.FinishedJobAsync(jobId)).GetRawText()));
        await Send("import errors", () => api.Client.GetAsync(new Uri($"/v1/imports/{jobId}/errors", UriKind.Relative)));
        // A FHIR $import: a stored Patient and one refused by validation; the status, manifest and error file.
        var fhirImport = await Send("FHIR $import", () => api.Client.PostFhirImportAsync(FhirPatient(markers[14], MarkerDob) + "\n" + FhirPatient(markers[15], "1913-02-30") + "\n"));
        Assert.Equal(HttpStatusCode.Accepted, fhirImport.StatusCode);
        var fhirStatus = fhirImport.Content.Headers.ContentLocation!.OriginalString;
        outputs.Add(("FHIR $import manifest", (await api.Client.ManifestAsync(fhirStatus)).GetRawText()));
        await Send("FHIR $import errors", () => api.Client.GetAsync(new Uri(fhirStatus + "/errors", UriKind.Relative)));

        await Send("patient", () => api.Client.GetAsync(new Uri($"/v1/patients/{patientId}", UriKind.Relative)));
        await Send("history", () => api.Client.GetAsync(new Uri($"/v1/patients/{patientId}/history", UriKind.Relative)));
        await Send("snapshot", () => api.Client.GetAsync(new Uri("/v1/snapshots/public", UriKind.Relative)));
        await Send("snapshot csv", () => api.Client.GetAsync(new Uri("/v1/snapshots/public?format=csv", UriKind.Relative)));
        await Send("manifest", () => api.Client.GetAsync(new Uri("/v1/snapshots/public/manifest", UriKind.Relative)));
        await Send("metrics", () => api.Client.GetAsync(new Uri("/metrics", UriKind.Relative)));

        // The search must be able to find a marker where one belongs: the PHI endpoint shows it.
        using var audit = await api.Client.GetAsync(new Uri($"/v1/audit/patients/{patientId}", UriKind.Relative));
        var auditBody = await audit.Content.ReadAsStringAsync();
        Assert.True(audit.IsSuccessStatusCode, auditBody);
        Assert.Contains(markers[0].Split(' ')[1], auditBody, StringComparison.OrdinalIgnoreCase);

        api.Signal(Signals.Terminate);
        await api.WaitForExitAsync(TimeSpan.FromSeconds(60));
        outputs.Add(("service log", api.Output));
        outputs.Add(("PostgreSQL server log", await File.ReadAllTextAsync(postgres.ServerLogPath)));

        var needles = markers.SelectMany(marker => marker.Split(' ')).Concat(MarkerDobForms).ToArray();
        foreach (var (where, text) in outputs)
        {
            foreach (var needle in needles)
            {
                Assert.False(text.Contains(needle, StringComparison.OrdinalIgnoreCase), $"'{needle}' found in {where}");
            }
        }
    }

    private static string FhirPatient(string name, string dob) =>
        FhirTesting.Patient([name.Split(' ')[0]], name.Split(' ')[1], dob).ToJsonString();

    private static string Json(string name, string dob) => System.Text.Json.JsonSerializer.Serialize(ApiJson.Record(name, dob));

    /// <summary>Two words made of letters drawn at random: they occur nowhere by accident.</summary>
    private static string MarkerName()
    {
        static string Word(string stem)
        {
            var letters = new StringBuilder(stem);
            foreach (var b in Guid.NewGuid().ToByteArray()[..8])
            {
                letters.Append((char)('a' + (b % 26)));
            }
            return letters.ToString();
        }
        return $"{Word("Vexmark")} {Word("Quillmark")}";
    }

    /// <summary>A check constraint, as an operator might add one: a violation's DETAIL carries the whole row, name included.</summary>
    private static async Task RefuseNamesContainingAsync(string connectionString, string fragment)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // DDL takes no parameters; the fragment is a constant of this test.
        await using var command = new NpgsqlCommand(
            $"ALTER TABLE phi.records ADD CONSTRAINT test_refused_names CHECK (position('{fragment}' in name) = 0) NOT VALID", connection);
        await command.ExecuteNonQueryAsync();
    }
}
