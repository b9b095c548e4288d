using System.Net;
using Kontakt.Tests.Support;

namespace Kontakt.Tests.Faults;

/// <summary>A database that answers reads but refuses every write (read-only, as after a failover to a standby or a full disk).</summary>
[Collection(FaultTests.Name)]
public sealed class ReadOnlyDatabaseTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_database_refusing_writes_makes_the_api_not_ready_loses_nothing_and_it_recovers_by_itself()
    {
        await using var api = await ApiProcess.StartAsync(database, new Dictionary<string, string?>
        {
            ["Kontakt:Ingest:MaxRetryDelay"] = "00:00:00.200",
            // Retried for as long as the test keeps the database read-only: nothing is given up here.
            ["Kontakt:Ingest:MaxWriteAttempts"] = "10000",
        });

        await SetReadOnlyAsync(true);
        var ids = Enumerable.Range(0, 50).Select(i => $"ro-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var id in ids)
        {
            // Sessions the switch ended are found dead on first use: a client is told 503 and retries, as it should.
            var record = ApiJson.Record(TestRecords.UniqueName("ReadOnly"), recordId: id);
            await Eventually.TrueAsync(async () =>
            {
                using var response = await api.Client.PostRecordAsync(record, "respond-async");
                Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"answered {response.StatusCode}");
                return response.StatusCode == HttpStatusCode.Accepted;
            }, TimeSpan.FromSeconds(30), "a record was never accepted while the database was read-only");
        }

        await Eventually.TrueAsync(async () => await api.ReadyStatusAsync() == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30), "readiness stayed 200 while every write failed");
        using (var ready = await api.Client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Contains("commit attempts failed", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(0, await FaultTests.StoredAsync(database, ids));

        await SetReadOnlyAsync(false);
        await Eventually.TrueAsync(async () => await FaultTests.StoredAsync(database, ids) == ids.Length,
            FaultTests.CommitDeadline, "records accepted while the database was read-only were not stored after it recovered");
        await Eventually.TrueAsync(async () => await api.ReadyStatusAsync() == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the API did not become ready again once writes succeeded");
    }

    [Fact]
    public async Task Past_the_retry_bound_a_waiting_caller_gets_503_with_retry_after_and_a_202_record_is_dead_lettered_as_storage_unavailable()
    {
        await using var api = await ApiProcess.StartAsync(database, new Dictionary<string, string?>
        {
            ["Kontakt:Ingest:MaxRetryDelay"] = "00:00:00.100",
            ["Kontakt:Ingest:MaxWriteAttempts"] = "3",
        });
        var asyncId = $"async-{Guid.NewGuid():N}";
        var asyncRecord = ApiJson.Record(TestRecords.UniqueName("GivenUp"), recordId: asyncId);
        var waitingId = $"waiting-{Guid.NewGuid():N}";

        await SetReadOnlyAsync(true);
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                using var response = await api.Client.PostRecordAsync(asyncRecord, "respond-async");
                return response.StatusCode == HttpStatusCode.Accepted;
            }, TimeSpan.FromSeconds(30), "the 202 record was never accepted while the database was read-only");

            // Other 503s (a session the switch ended, found dead on first use) are retried like a client would.
            string? problem = null;
            string? retryAfter = null;
            await Eventually.TrueAsync(async () =>
            {
                using var response = await api.Client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName("GivenUp"), recordId: waitingId));
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"answered {response.StatusCode}");
                problem = await response.Content.ReadAsStringAsync();
                retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return problem.Contains("unavailableIndexes", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(30), "the waiting caller was never told its record was given up");
            using var body = System.Text.Json.JsonDocument.Parse(problem!);
            Assert.Equal([0], body.RootElement.GetProperty("unavailableIndexes").EnumerateArray().Select(i => i.GetInt32()));
            Assert.Equal(waitingId, body.RootElement.GetProperty("recordIds")[0].GetString());
            Assert.Contains("may or may not be stored", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("5", retryAfter);

            // Its dead letter cannot be written either, so the 202 record stays queued, never dropped.
            Assert.Equal("queued", await StatusAsync(api, asyncId));
        }
        finally
        {
            await SetReadOnlyAsync(false);
        }

        await Eventually.TrueAsync(async () => await StatusAsync(api, asyncId) == "failed", FaultTests.CommitDeadline,
            "the given-up 202 record was not dead-lettered once the database was writable");
        using (var status = await api.Client.GetAsync(new Uri($"/v1/records/{asyncId}", UriKind.Relative)))
        {
            Assert.Equal("storage_unavailable", (await status.JsonAsync()).GetProperty("error").GetProperty("code").GetString());
        }
        Assert.Equal(0, await FaultTests.StoredAsync(database, [asyncId, waitingId]));

        // The client sends it again with the same recordId: stored, and its status now says so.
        using (var again = await api.Client.PostRecordAsync(asyncRecord, "respond-async"))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }
        await Eventually.TrueAsync(async () => await StatusAsync(api, asyncId) == "committed", FaultTests.CommitDeadline,
            "a stored record whose earlier copy was given up does not report committed");
    }

    private static async Task<string?> StatusAsync(ApiProcess api, string recordId)
    {
        using var response = await api.Client.GetAsync(new Uri($"/v1/records/{recordId}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? (await response.JsonAsync()).GetProperty("status").GetString() : null;
    }

    private Task SetReadOnlyAsync(bool readOnly) => ReadOnlyDatabase.SetAsync(database, readOnly);
}
