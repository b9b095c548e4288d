using System.Diagnostics;
using System.Net;
using Kontakt.Tests.Support;
using Xunit.Abstractions;

namespace Kontakt.Tests.Temporal;

/// <summary>
/// <c>Kontakt:Snapshots:Timeout</c> bounds an export whose client stops reading. Served by Kestrel on a real socket,
/// so the stalled client holds the export back through TCP as it would in production.
/// </summary>
public sealed class SnapshotExportTimeoutTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    // Long enough that a loaded machine still sends the first rows (after sorting 64 MiB) and the test makes its
    // checks on the running export inside it: at 5 s, a machine running the whole suite could use it all up.
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(15);

    // Generous for a loaded 2-core machine; an export that is never cut off fails them, however long they are.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // 64 MiB of export: more than every buffer between PostgreSQL and the client holds, so the export cannot
    // finish into buffers while its client stalls.
    private const int Patients = 64 * 1024;
    private const int ColorLength = 1024;

    // The export's own rows query, while it runs or after it, as long as its transaction is open.
    private const string ExportsInTransactionSql = """
        SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
          AND xact_start IS NOT NULL AND query LIKE '%) valid\_at%'
        """;

    private Task<long> ExportsInTransactionAsync() => database.ScalarAsync<long>(ExportsInTransactionSql);

    private async Task SeedAsync()
    {
        await using var insert = database.DataSource.CreateCommand("""
            INSERT INTO public_store.patients (patient_id, favorite_color, valid_from)
            SELECT gen_random_uuid(), repeat('x', @length), '2000-01-01T00:00:00Z' FROM generate_series(1, @patients)
            """);
        insert.Parameters.AddWithValue("length", ColorLength);
        insert.Parameters.AddWithValue("patients", Patients);
        await insert.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task An_export_whose_client_stops_reading_is_ended_by_the_time_out_and_frees_its_session_and_slot_while_ingest_commits()
    {
        await SeedAsync();
        await using var factory = new KontaktApiFactory(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Kontakt:Snapshots:Timeout"] = ExportTimeout.ToString(),
            ["Kontakt:Snapshots:MaxConcurrent"] = "1",
        });
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        // A commit moves the stable horizon past the seeded rows, so the export has them all.
        Assert.Equal(HttpStatusCode.Created, (await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName()))).StatusCode);

        var started = Stopwatch.GetTimestamp();
        using var stalled = await client.GetAsync("/v1/snapshots/public", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stalled.StatusCode);
        await using var body = await stalled.Content.ReadAsStreamAsync();
        Assert.Equal(1, await body.ReadAsync(new byte[1]));
        // From here the client reads nothing until the export has been ended.
        Assert.Equal(1, await ExportsInTransactionAsync());
        using (var second = await client.GetAsync("/v1/snapshots/public", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }
        // Writers have their own pool: ingest commits while the export stalls.
        Assert.Equal(HttpStatusCode.Created, (await client.PostRecordAsync(ApiJson.Record(TestRecords.UniqueName(), color: "red"))).StatusCode);

        await Eventually.TrueAsync(async () => await ExportsInTransactionAsync() == 0, Deadline,
            "the stalled export's transaction is still open past Kontakt:Snapshots:Timeout");
        var sessionEnded = Stopwatch.GetElapsedTime(started);
        // The server's clock started after ours did: an export ended sooner was cut off before its time-out.
        Assert.True(sessionEnded >= ExportTimeout, $"the export's transaction ended after {sessionEnded}, before the time-out");
        await Eventually.TrueAsync(async () =>
        {
            using var next = await client.GetAsync("/v1/snapshots/public", HttpCompletionOption.ResponseHeadersRead);
            return next.StatusCode == HttpStatusCode.OK;
        }, Deadline, "the stalled export still holds the only export slot");
        output.WriteLine($"stalled export, time-out {ExportTimeout.TotalSeconds:0} s: transaction ended after {sessionEnded.TotalSeconds:0.0} s, " +
            $"slot free after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");

        // The cut-off export is never presented as complete: its stream fails instead of ending.
        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(Stream.Null));
    }
}
