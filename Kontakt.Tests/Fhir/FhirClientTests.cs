using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Kontakt.Core.Fhir;
using Kontakt.Core.Security;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

/// <summary>Firely's FhirClient, a real FHIR client, against the service: what a hospital system would do.</summary>
public sealed class FhirClientTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async System.Threading.Tasks.Task The_client_reads_the_capability_statement()
    {
        using var client = FhirTesting.Client(api.Factory, KontaktRoles.Analyst);
        var statement = await client.CapabilityStatementAsync();
        Assert.NotNull(statement);
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        var patient = statement.Rest.Single().Resource.Single();
        Assert.Equal("Patient", patient.Type);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_client_creates_reads_and_sees_the_history_of_a_Patient()
    {
        using var ingest = FhirTesting.Client(api.Factory, KontaktRoles.Ingest);
        using var analyst = FhirTesting.Client(api.Factory, KontaktRoles.Analyst);
        var patient = NewPatient("teal");

        var created = await ingest.CreateAsync(patient);
        Assert.NotNull(created);
        Assert.NotNull(created.Id);
        Assert.Empty(created.Name);
        Assert.Null(created.BirthDate);
        Assert.StartsWith("201", ingest.LastResult!.Status, StringComparison.Ordinal);

        var read = await analyst.ReadAsync<Patient>($"Patient/{created.Id}");
        Assert.Equal(created.Id, read!.Id);
        Assert.Equal("teal", read.GetStringExtension(FhirPatientMapping.FavoriteColorUrl));

        var again = await ingest.CreateAsync(patient);
        Assert.Equal(created.Id, again!.Id);
        Assert.StartsWith("200", ingest.LastResult!.Status, StringComparison.Ordinal);

        var history = await analyst.HistoryAsync($"Patient/{created.Id}");
        Assert.Equal(Bundle.BundleType.History, history!.Type);
        Assert.Single(history.Entry);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_client_sends_a_batch_and_gets_one_answer_per_entry()
    {
        using var ingest = FhirTesting.Client(api.Factory, KontaktRoles.Ingest);
        var batch = new Bundle { Type = Bundle.BundleType.Batch };
        batch.Entry.Add(new Bundle.EntryComponent { Resource = NewPatient("blue"), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });
        batch.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8302-2") },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" },
        });

        var response = await ingest.TransactionAsync(batch);
        Assert.Equal(Bundle.BundleType.BatchResponse, response!.Type);
        Assert.Equal(2, response.Entry.Count);
        Assert.Equal("201 Created", response.Entry[0].Response!.Status);
        Assert.StartsWith("/fhir/Patient/", response.Entry[0].Response!.Location, StringComparison.Ordinal);
        Assert.Equal("404 Not Found", response.Entry[1].Response!.Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_invalid_Patient_raises_the_clients_error_with_an_OperationOutcome_naming_the_element()
    {
        using var ingest = FhirTesting.Client(api.Factory, KontaktRoles.Ingest);
        var patient = NewPatient(null);
        patient.BirthDate = "1980";
        var error = await Assert.ThrowsAsync<FhirOperationException>(() => ingest.CreateAsync(patient));
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(["Patient.birthDate"], error.Outcome!.Issue.SelectMany(i => i.Expression));
    }

    private static Patient NewPatient(string? color)
    {
        var patient = new Patient
        {
            Name = [new HumanName { Use = HumanName.NameUse.Official, Given = ["Client"], Family = "Firely" + Guid.NewGuid().ToString("N") }],
            BirthDate = "1971-02-03",
        };
        if (color is not null)
        {
            patient.SetStringExtension(FhirPatientMapping.FavoriteColorUrl, color);
        }
        return patient;
    }
}
