using System.Net;
using System.Text.Json;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

/// <summary>Input nobody on the project wrote: Synthea's 1k-patient CSV, ingested twice with other colors.</summary>
public sealed class SyntheaIngestTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly string[] FirstColors = ["red", "green", "blue", "LightGoldenRodYellow", "teal"];
    private static readonly string[] SecondColors = ["black", "white", "orange", "purple", "MediumSpringGreen"];

    [Fact]
    public async Task The_synthea_patients_ingested_twice_give_1171_patients_2342_audit_rows_and_1171_history_rows()
    {
        var people = SyntheaCsv.Load();
        Assert.Equal(1_171, people.Count);

        await using var factory = new KontaktApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();

        var first = await IngestAsync(client, people, FirstColors);
        var second = await IngestAsync(client, people, SecondColors);

        Assert.Equal(first, second);
        Assert.Equal(1_171, first.Distinct().Count());
        Assert.Equal(1_171, await database.CountAsync("phi.patients"));
        Assert.Equal(2_342, await database.CountAsync("phi.records"));
        Assert.Equal(1_171, await database.CountAsync("public_store.patients"));
        Assert.Equal(1_171, await database.CountAsync("public_store.patient_history"));
        // Accented names arrive intact: the stored names equal the file's, character for character.
        var accented = people.Where(p => p.Name.Any(c => c > '\u007f')).Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(accented);
        Assert.Equal(accented, await database.ListAsync(
            "SELECT name FROM phi.records WHERE name = ANY(@names) AND favorite_color = ANY(@c) ORDER BY name COLLATE \"C\"",
            r => r.GetString(0), ("names", accented), ("c", FirstColors)));
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM public_store.patients WHERE NOT (favorite_color = ANY(@c))",
            ("c", SecondColors.Select(c => c.ToLowerInvariant()).ToArray())));
    }

    private static async Task<string[]> IngestAsync(HttpClient client, IReadOnlyList<SyntheaCsv.Person> people, string[] colors)
    {
        var patientIds = new List<string>();
        foreach (var chunk in people.Select((p, i) => (p, i)).Chunk(500))
        {
            var batch = chunk.Select(x => new { name = x.p.Name, dob = x.p.BirthDate, favoriteColor = colors[x.i % colors.Length] });
            var response = await client.PostJsonTextAsync("/v1/records/batch", JsonSerializer.Serialize(batch));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            patientIds.AddRange((await response.JsonAsync()).EnumerateArray().Select(r => r.GetProperty("patientId").GetString()!));
        }
        return patientIds.ToArray();
    }
}
