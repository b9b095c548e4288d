using System.Globalization;
using System.Net;
using System.Text.Json;
using Kontakt.Core.Security;
using Kontakt.LoadTest;
using Kontakt.LoadTest.Cli;
using Kontakt.LoadTest.Data;
using Kontakt.LoadTest.Verification;
using Kontakt.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kontakt.Tests.LoadTest;

/// <summary>
/// The load generator run in-process, as its command line would run it, against the real
/// API on a real Kestrel port and the test database; then the database is read back here,
/// independently of the load generator's own verification.
/// </summary>
public sealed class LoadTestEndToEndTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly List<string> _reportDirectories = [];

    public void Dispose()
    {
        foreach (var directory in _reportDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record Run(int ExitCode, string Output, string ReportDirectory, JsonElement Report, RecordPlan Plan, RecordIdScheme Ids);

    private sealed record StoredRecord(string RecordId, Guid PatientId, string NameKey, DateOnly PatientDob, string Name, DateOnly Dob, string? FavoriteColor);

    private static async Task<(KontaktApiFactory Api, Uri Address)> StartApiAsync(string connectionString)
    {
        var api = new KontaktApiFactory(connectionString);
        api.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        api.StartServer();
        var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var target = new Uri(address.EndsWith('/') ? address : address + "/");
        using var http = new HttpClient { BaseAddress = target };
        var status = HttpStatusCode.OK;
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
            status = ready.StatusCode;
            return status == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(20), $"The API never became ready: {(int)status}");
        return (api, target);
    }

    private async Task<Run> RunLoadTestAsync(params string[] extraArgs)
    {
        var (api, target) = await StartApiAsync(database.ConnectionString);
        await using var _ = api;
        var reportDirectory = Path.Combine(Path.GetTempPath(), "kontakt-loadtest-" + Guid.NewGuid().ToString("N"));
        _reportDirectories.Add(reportDirectory);
        string[] args =
        [
            "--target", target.ToString(), "--db", database.ConnectionString, "--no-live", "--report-dir", reportDirectory, "--settle-timeout", "20",
            "--api-key", api.Keys[KontaktRoles.Ingest], "--analyst-api-key", api.Keys[KontaktRoles.Analyst], .. extraArgs,
        ];
        var parsed = OptionsParser.Parse(args);
        Assert.True(parsed.Options is not null, parsed.Error);

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = await new LoadTestRun(parsed.Options, TextWriter.Synchronized(text)).RunAsync();

        var reportPath = Path.Combine(reportDirectory, "report.json");
        Assert.True(File.Exists(reportPath), $"No report.json; output:\n{text}");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(reportPath));
        var report = document.RootElement.Clone();

        var settings = report.GetProperty("settings");
        var startedAt = report.GetProperty("startedAt").GetDateTimeOffset();
        var plan = RecordPlanner.Create(new RecordPlanSettings(
            settings.GetProperty("records").GetInt32(),
            settings.GetProperty("seed").GetInt32(),
            settings.GetProperty("returning").GetDouble(),
            settings.GetProperty("colorChanges").GetDouble(),
            DateOnly.FromDateTime(startedAt.UtcDateTime).AddDays(-1)));
        var ids = new RecordIdScheme(report.GetProperty("runId").GetString()!);
        Assert.Equal(ids.Prefix, settings.GetProperty("recordIdPrefix").GetString());
        return new Run(exitCode, text.ToString(), reportDirectory, report, plan, ids);
    }

    private Task<List<StoredRecord>> StoredRecordsAsync(RecordIdScheme ids) => database.ListAsync(
        """
        SELECT r.record_id, p.patient_id, p.name_key, p.dob, r.name, r.dob, r.favorite_color
        FROM phi.records r JOIN phi.patients p USING (patient_key)
        WHERE r.record_id LIKE @prefix
        """,
        reader => new StoredRecord(
            reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3),
            reader.GetString(4), reader.GetFieldValue<DateOnly>(5), reader.IsDBNull(6) ? null : reader.GetString(6)),
        ("prefix", ids.LikePattern));

    private async Task AssertRunPassedAndDatabaseMatchesPlanAsync(Run run, int records, string[] expectedChecks)
    {
        Assert.True(run.ExitCode == ExitCodes.Passed, $"exit code {run.ExitCode}; output:\n{run.Output}");
        Assert.EndsWith("PASS", run.Output.TrimEnd(), StringComparison.Ordinal);
        foreach (var file in new[] { "report.json", "report.md", "report.html" })
        {
            var path = Path.Combine(run.ReportDirectory, file);
            Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"{file} was not written");
        }

        var checks = run.Report.GetProperty("verification").GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(expectedChecks, checks.Select(c => c.GetProperty("name").GetString()));
        Assert.All(checks, c => Assert.True(c.GetProperty("status").GetString() == "PASS", c.ToString()));

        var results = run.Report.GetProperty("results");
        var acknowledged = results.GetProperty("acknowledgedRecords").GetInt64();
        Assert.Equal(records, run.Plan.Count);
        Assert.Equal(records, acknowledged);
        Assert.Equal(0, results.GetProperty("failedRecords").GetInt64());
        Assert.Equal(run.Plan.IdentityCount, run.Report.GetProperty("data").GetProperty("identities").GetInt32());

        // The audit store holds exactly the acknowledged records of this run.
        Assert.Equal(acknowledged, await database.ScalarAsync<long>(
            "SELECT count(*) FROM phi.records WHERE record_id LIKE @prefix", ("prefix", run.Ids.LikePattern)));

        var stored = await StoredRecordsAsync(run.Ids);
        Assert.Equal(records, stored.Count);
        var patientOfIdentity = new Dictionary<int, Guid>();
        var identityOfPatient = new Dictionary<Guid, int>();
        foreach (var row in stored)
        {
            Assert.True(run.Ids.TryParseSequence(row.RecordId, out var sequence) && sequence < records, row.RecordId);
            var planned = run.Plan[sequence];
            var key = run.Plan.KeyOf(planned.Identity);
            Assert.Equal(planned.Name, row.Name);
            Assert.Equal(run.Plan.DobOf(sequence), row.Dob);
            Assert.Equal(planned.FavoriteColor, row.FavoriteColor);
            Assert.Equal(key.CanonicalName, row.NameKey);
            Assert.Equal(key.Dob, row.PatientDob);
            if (!patientOfIdentity.TryAdd(planned.Identity, row.PatientId))
            {
                Assert.Equal(patientOfIdentity[planned.Identity], row.PatientId);
            }
            if (!identityOfPatient.TryAdd(row.PatientId, planned.Identity))
            {
                Assert.Equal(identityOfPatient[row.PatientId], planned.Identity);
            }
        }

        // As many distinct patients as the plan has distinct identities, one to one.
        Assert.Equal(run.Plan.IdentityCount, stored.Select(r => r.PatientId).Distinct().Count());
        Assert.Equal(run.Plan.IdentityCount, patientOfIdentity.Count);
    }

    private static readonly string[] SynchronousChecks =
    [
        VerificationRules.AuditStoreName,
        VerificationRules.DistinctPatientsName,
        VerificationRules.OnePatientName,
        VerificationRules.DatabaseAgreesName,
        VerificationRules.ResponsesMatchName,
        VerificationRules.AllAcknowledgedName,
    ];

    private static readonly string[] AsyncChecks =
    [
        VerificationRules.AuditStoreName,
        VerificationRules.DistinctPatientsName,
        VerificationRules.OnePatientName,
        VerificationRules.VisibilityName,
        VerificationRules.ResponsesMatchName,
        VerificationRules.AllAcknowledgedName,
    ];

    [Fact]
    public async Task Batch_mode_run_passes_and_the_database_holds_its_records_and_identities()
    {
        var run = await RunLoadTestAsync(
            "--mode", "batch", "--records", "3000", "--batch-size", "250", "--concurrency", "4",
            "--returning", "0.3", "--color-changes", "0.5", "--seed", "101");

        await AssertRunPassedAndDatabaseMatchesPlanAsync(run, 3_000, SynchronousChecks);
        var results = run.Report.GetProperty("results");
        Assert.Equal(12, results.GetProperty("acknowledgedRequests").GetInt64());
        Assert.Equal(run.Plan.IdentityCount, results.GetProperty("newPatients").GetInt64());
        Assert.True(run.Plan.ReturningCount > 600 && run.Plan.NameVariantCount > 0 && run.Plan.ColorChangeCount > 0);

        // The command line is in every report, with the --db password blanked.
        var password = new NpgsqlConnectionStringBuilder(database.ConnectionString).Password;
        Assert.False(string.IsNullOrEmpty(password), "The test database's connection string has no password to look for.");
        var markdown = await File.ReadAllTextAsync(Path.Combine(run.ReportDirectory, "report.md"));
        var html = await File.ReadAllTextAsync(Path.Combine(run.ReportDirectory, "report.html"));
        Assert.Contains("--mode batch --records 3000 --batch-size 250", markdown, StringComparison.Ordinal);
        Assert.Contains("Password=***", run.Report.GetProperty("commandLine").GetString(), StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(password, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(password, html, StringComparison.Ordinal);
        Assert.DoesNotContain(password, run.Report.GetRawText(), StringComparison.Ordinal);
        // Nor the API key it was given.
        var key = TestKeys.For(database.ConnectionString)[KontaktRoles.Ingest];
        Assert.DoesNotContain(key, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(key, html, StringComparison.Ordinal);
        Assert.DoesNotContain(key, run.Report.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Single_mode_run_passes_and_the_database_holds_its_records_and_identities()
    {
        var records = await database.CountAsync("phi.records");
        var run = await RunLoadTestAsync(
            "--mode", "single", "--records", "1000", "--concurrency", "16",
            "--returning", "0.3", "--color-changes", "0.5", "--seed", "202", "--warmup", "0.5");

        await AssertRunPassedAndDatabaseMatchesPlanAsync(run, 1_000, SynchronousChecks);
        // The warm-up ran on every connection before the clock started, and stored nothing.
        Assert.Matches(@"Warmed up: [0-9,]+ GET /health/live on 16 connections in 0\.5 s \(0 not 200\)", run.Output);
        Assert.Equal(records + 1_000, await database.CountAsync("phi.records"));
        Assert.Equal(1_000, run.Report.GetProperty("results").GetProperty("attempts").GetInt64());
        Assert.Equal("http", run.Report.GetProperty("settings").GetProperty("client").GetString());
        var results = run.Report.GetProperty("results");
        Assert.Equal(1_000, results.GetProperty("acknowledgedRequests").GetInt64());
        Assert.Equal(run.Plan.IdentityCount, results.GetProperty("newPatients").GetInt64());
    }

    [Fact]
    public async Task Async_mode_run_passes_and_the_database_holds_its_records_and_identities()
    {
        var run = await RunLoadTestAsync(
            "--mode", "async", "--records", "1000", "--concurrency", "16", "--verify-sample", "50",
            "--returning", "0.3", "--color-changes", "0.5", "--seed", "303");

        await AssertRunPassedAndDatabaseMatchesPlanAsync(run, 1_000, AsyncChecks);
        var results = run.Report.GetProperty("results");
        Assert.Equal(JsonValueKind.Null, results.GetProperty("newPatients").ValueKind);
        var visibility = run.Report.GetProperty("verification").GetProperty("visibility");
        Assert.Equal(50, visibility.GetProperty("sampled").GetInt32());
        Assert.Equal(50, visibility.GetProperty("confirmedByApi").GetInt32());
    }

    [Theory]
    [InlineData("single")]
    [InlineData("batch")]
    [InlineData("async")]
    public async Task A_run_over_the_raw_client_passes_and_the_database_holds_its_records(string mode)
    {
        var run = await RunLoadTestAsync(
            "--client", "raw", "--mode", mode, "--records", "1000", "--batch-size", "100", "--concurrency", "8", "--verify-sample", "50",
            "--returning", "0.3", "--color-changes", "0.5", "--seed", "404", "--warmup", "0.5");

        await AssertRunPassedAndDatabaseMatchesPlanAsync(run, 1_000, mode == "async" ? AsyncChecks : SynchronousChecks);
        Assert.Equal("raw", run.Report.GetProperty("settings").GetProperty("client").GetString());
        Assert.Contains("raw client", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"Warmed up: [0-9,]+ GET /health/live on 8 connections in 0\.5 s \(0 not 200\)", run.Output);
        var results = run.Report.GetProperty("results");
        Assert.Equal(mode == "batch" ? 10 : 1_000, results.GetProperty("acknowledgedRequests").GetInt64());
        Assert.Equal(results.GetProperty("acknowledgedRequests").GetInt64(), results.GetProperty("attempts").GetInt64());
        var markdown = await File.ReadAllTextAsync(Path.Combine(run.ReportDirectory, "report.md"));
        Assert.Contains("raw client", markdown, StringComparison.Ordinal);
    }
}
