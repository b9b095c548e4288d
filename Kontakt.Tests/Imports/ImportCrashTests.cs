using System.Text;
using Kontakt.Tests.Faults;
using Kontakt.Tests.Support;
using Xunit.Abstractions;

namespace Kontakt.Tests.Imports;

/// <summary>An import job whose process is killed mid-way resumes in the next process and stores every line once.</summary>
[Collection(FaultTests.Name)]
public sealed class ImportCrashTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    // Small steps, one writer and a short lease: the job takes long enough to be killed in the middle,
    // and the restarted process may take it over a few seconds later.
    private static readonly Dictionary<string, string?> SlowJobs = new()
    {
        ["Kontakt:Ingest:Writers"] = "1",
        ["Kontakt:Ingest:MaxBatchSize"] = "200",
        ["Kontakt:Imports:BatchLines"] = "200",
        ["Kontakt:Imports:BatchesInFlight"] = "1",
        ["Kontakt:Imports:LeaseTime"] = "00:00:03",
        ["Kontakt:Imports:PollInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task Kill_9_in_the_middle_of_a_job_resumes_in_the_next_process_and_stores_every_line_exactly_once()
    {
        const int lines = 40_000;
        var csv = new StringBuilder("name,dob\n");
        var stem = Guid.NewGuid().ToString("N");
        for (var i = 0; i < lines; i++)
        {
            csv.Append("Crash ").Append(stem).Append(' ').Append(i).Append(",1970-01-01\n");
        }

        string jobId;
        long storedAtKill;
        await using (var first = await ApiProcess.StartAsync(database, SlowJobs))
        {
            jobId = await first.Client.StartImportAsync(csv.ToString());
            await Eventually.TrueAsync(async () => await StoredAsync(jobId) >= lines / 10, TimeSpan.FromSeconds(60), "the job never got going");
            first.Signal(Signals.Kill);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            storedAtKill = await StoredAsync(jobId);
            Assert.True(storedAtKill < lines, "the job finished before the kill; make it slower");
        }

        await using var second = await ApiProcess.StartAsync(database, SlowJobs);
        var job = await second.Client.FinishedJobAsync(jobId);
        output.WriteLine($"killed with {storedAtKill} of {lines} lines stored; resumed job: {job}");

        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal((lines, lines, 0), (job.GetProperty("received").GetInt64(), job.GetProperty("stored").GetInt64(), job.GetProperty("rejected").GetInt64()));
        Assert.Equal(lines, await StoredAsync(jobId));
        // Every line once: one audit row per line, one person per line.
        Assert.Equal(lines, await database.ScalarAsync<long>(
            "SELECT count(DISTINCT p.patient_key) FROM phi.records r JOIN phi.patients p ON p.patient_key = r.patient_key WHERE r.record_id LIKE @prefix",
            ("prefix", $"import-{Guid.Parse(jobId):N}-%")));
        Assert.Equal(0, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.records r WHERE r.record_id LIKE @prefix AND r.name NOT LIKE @stem",
            ("prefix", $"import-{Guid.Parse(jobId):N}-%"), ("stem", $"Crash {stem} %")));
    }

    private Task<long> StoredAsync(string jobId) =>
        database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id LIKE @prefix", ("prefix", $"import-{Guid.Parse(jobId):N}-%"));
}
