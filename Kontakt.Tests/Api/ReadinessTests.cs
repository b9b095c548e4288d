using System.Net;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Api;

public sealed class ReadinessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Records_waiting_longer_than_ReadyMaxLag_make_the_service_not_ready_until_they_commit()
    {
        await using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Ingest:ReadyMaxLag"] = "00:00:01",
            ["Kontakt:Ingest:Writers"] = "1",
        });
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);

        var stall = await CommitStall.HoldAsync(database.ConnectionString);
        var accepted = await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName()), "respond-async");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        string body = "";
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            body = await ready.Content.ReadAsStringAsync();
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(15), "readiness stayed 200 while a record waited past ReadyMaxLag");
        Assert.Contains("oldest uncommitted record", body, StringComparison.Ordinal);

        await stall.DisposeAsync();
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(15), "readiness did not recover once the record committed");
    }
}
