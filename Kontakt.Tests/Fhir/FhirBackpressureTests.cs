using System.Net;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Fhir;

public sealed class FhirBackpressureTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly Dictionary<string, string?> TinyQueue = new()
    {
        ["Kontakt:Ingest:QueueCapacity"] = "10",
        ["Kontakt:Ingest:EnqueueTimeout"] = "00:00:00.050",
        ["Kontakt:Ingest:Writers"] = "1",
        ["Kontakt:Ingest:CommitTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task An_unconfirmed_commit_is_504_and_a_full_queue_503_both_OperationOutcomes_with_Retry_After()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, TinyQueue);
        using var client = factory.CreateClient();
        var stall = await CommitStall.HoldAsync(database.ConnectionString);

        var (slow, _) = FhirTesting.UniquePatient();
        using var timedOut = await client.PostFhirAsync("/fhir/Patient", slow.ToJsonString());
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal("timeout", (await timedOut.FhirJsonAsync()).GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.True(timedOut.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        for (var i = 0; i < 9; i++)
        {
            using var queued = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName()), prefer: "respond-async");
            Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        }
        var records = await database.CountAsync("phi.records");
        using var full = await client.PostFhirAsync("/fhir/Patient", FhirTesting.UniquePatient().Patient.ToJsonString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal("transient", (await full.FhirJsonAsync()).GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.True(full.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var fullBatch = await client.PostFhirAsync("/fhir", FhirTesting.Bundle("transaction", [FhirTesting.UniquePatient().Patient]).ToJsonString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fullBatch.StatusCode);
        Assert.True(fullBatch.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        await stall.DisposeAsync();
        // The 504 Patient was queued and is committed after all: sending it again is known (200), not a second patient.
        await Eventually.TrueAsync(async () => await database.CountAsync("phi.records") == records + 10,
            TimeSpan.FromSeconds(15), "the queued records were not committed after the stall ended");
        using var again = await client.PostFhirAsync("/fhir/Patient", slow.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}
