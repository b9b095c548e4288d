using System.Net;
using Kontakt.Tests.Support;
using Xunit.Abstractions;
using Npgsql;

namespace Kontakt.Tests.Faults;

/// <summary>PostgreSQL crashing and recovering under the API's feet.</summary>
[Collection(FaultTests.Name)]
public sealed class DatabaseRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_immediate_database_restart_under_load_loses_nothing_and_ingest_resumes_without_an_api_restart()
    {
        await using var postgres = await DedicatedPostgres.StartAsync();
        await using var api = await ApiProcess.StartAsync(postgres);
        var load = IngestLoad.Start(() => api.Client, clients: 16, respondAsync: false, prefix: "restart");
        await FaultTests.AcknowledgedAsync(load, 500);

        await postgres.RestartImmediatelyAsync();
        var beforeRecovery = load.Acknowledged.Count;
        await FaultTests.AcknowledgedAsync(load, beforeRecovery + 500);
        await load.DisposeAsync();

        var acknowledged = load.Acknowledged;
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var stored = new NpgsqlCommand("SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)", connection);
        stored.Parameters.AddWithValue("ids", acknowledged.ToArray());
        var storedCount = (long)(await stored.ExecuteScalarAsync())!;
        output.WriteLine($"immediate restart: {acknowledged.Count} answered 201 ({beforeRecovery} before the restart), {storedCount} stored");
        Assert.Equal(acknowledged.Count, storedCount);
        Assert.False(api.HasExited);
        await Eventually.TrueAsync(async () => await api.ReadyStatusAsync() == HttpStatusCode.OK,
            FaultTests.CommitDeadline, "the API did not become ready again after the database recovered");
    }
}
