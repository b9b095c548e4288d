using System.Net;
using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

public sealed class SyntheaFhirPatientTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task All_60_Synthea_Patients_are_created_once_and_known_the_second_time()
    {
        var lines = SyntheaFhir.PatientLines();
        Assert.Equal(60, lines.Length);
        var locations = new List<string>();
        foreach (var line in lines)
        {
            using var response = await api.Client.PostFhirAsync("/fhir/Patient", line, "return=minimal");
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            locations.Add(response.Headers.Location!.OriginalString);
        }
        Assert.Equal(60, locations.Distinct().Count());

        for (var i = 0; i < lines.Length; i++)
        {
            using var again = await api.Client.PostFhirAsync("/fhir/Patient", lines[i], "return=minimal");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(locations[i], again.Headers.Location!.OriginalString);
        }

        // The first Synthea Patient as a JSON record: official name, given then family, prefix left out.
        var first = JsonDocument.Parse(lines[0]).RootElement;
        var official = first.GetProperty("name").EnumerateArray().First(n => n.GetProperty("use").GetString() == "official");
        var name = string.Join(' ', official.GetProperty("given").EnumerateArray().Select(g => g.GetString()).Append(official.GetProperty("family").GetString()));
        using var record = await api.Client.PostRecordAsync(ApiJson.Record(name, first.GetProperty("birthDate").GetString()!, color: null));
        Assert.Equal(locations[0], "/fhir/Patient/" + (await record.JsonAsync()).GetProperty("patientId").GetString());
    }
}
