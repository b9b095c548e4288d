using System.Net;
using Kontakt.Tests.Support;
using Npgsql;

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

    /// <summary>Switches the database and ends the API's sessions, so new sessions start with the setting.</summary>
    private async Task SetReadOnlyAsync(bool readOnly)
    {
        // A session of our own that the setting cannot reach (client options outrank database settings).
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, Options = "-c default_transaction_read_only=off" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        // ALTER DATABASE takes no parameters; the name comes from the test's own connection string.
        await using var alter = new NpgsqlCommand(
            $"ALTER DATABASE \"{builder.Database}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")}", connection);
        await alter.ExecuteNonQueryAsync();
        await using var end = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        await end.ExecuteNonQueryAsync();
        database.DataSource.Clear();
    }
}
