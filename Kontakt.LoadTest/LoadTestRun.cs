using System.Diagnostics;
using System.Globalization;
using System.Net;
using Kontakt.LoadTest.Cli;
using Kontakt.LoadTest.Data;
using Kontakt.LoadTest.Live;
using Kontakt.LoadTest.Load;
using Kontakt.LoadTest.Reporting;
using Kontakt.LoadTest.Scenarios;
using Kontakt.LoadTest.Verification;
using Npgsql;

namespace Kontakt.LoadTest;

/// <summary>One run, start to finish: generate, check the target, load, verify, report.</summary>
public sealed class LoadTestRun(LoadTestOptions options, TextWriter output)
{
    public async Task<int> RunAsync()
    {
        var startedAt = DateTimeOffset.UtcNow;
        var ids = new RecordIdScheme(RecordIdScheme.NewRunId(startedAt));
        var modeName = options.Mode.ToString().ToLowerInvariant();
        var clientName = options.Client.ToString().ToLowerInvariant();
        var model = options.OpenModel
            ? string.Create(CultureInfo.InvariantCulture, $"open ({options.Rate:N0} records/s, at most {options.Concurrency} in flight)")
            : $"closed ({options.Concurrency} workers)";
        Line($"Kontakt load test {ids.RunId}: {options.Records:N0} records, {modeName} mode{(options.Mode == LoadMode.Batch ? $" ({options.BatchSize} per request)" : "")}, {model}, {clientName} client, target {options.Target}");

        var generation = Stopwatch.StartNew();
        var plan = RecordPlanner.Create(new RecordPlanSettings(
            options.Records, options.Seed, options.Returning, options.ColorChanges, DateOnly.FromDateTime(startedAt.UtcDateTime).AddDays(-1)));
        generation.Stop();
        var bodies = new RecordBodyWriter(plan, ids);
        Line($"Generated {plan.Count:N0} records for {plan.IdentityCount:N0} identities in {generation.Elapsed.TotalSeconds:N2} s (seed {options.Seed}; {plan.ReturningCount:N0} returning, {plan.NameVariantCount:N0} renamed, {plan.ColorChangeCount:N0} recolored).");
        if (options.DryRun)
        {
            DryRun.Print(output, plan, bodies);
            return ExitCodes.Passed;
        }

        var (dataSource, databaseDescription, databaseError) = await OpenDatabaseAsync(ids);
        if (databaseError is not null)
        {
            Line($"Cannot verify: {databaseError}");
            return ExitCodes.CouldNotRun;
        }
        await using var _ = dataSource;
        var keys = ApiKeys.Resolve(options, Environment.GetEnvironmentVariable);
        using var http = LoadHttpClient.Create(options, keys.Ingest);
        using IRecordTransport transport = options.Client == LoadClient.Raw
            ? new RawHttpTransport(options.Target, keys.Ingest)
            : new HttpClientTransport(http);
        if (await TargetNotReadyAsync(http) is { } notReady)
        {
            Line($"Target not ready: {notReady}");
            return ExitCodes.CouldNotRun;
        }

        if (options.WarmUp > TimeSpan.Zero)
        {
            var warmUp = await ClientWarmUp.RunAsync(transport, options.Concurrency, options.WarmUp, CancellationToken.None);
            Line($"Warmed up: {warmUp.Requests:N0} GET /health/live on {options.Concurrency} connections in {options.WarmUp.TotalSeconds:N1} s ({warmUp.Failures:N0} not 200); not part of any figure.");
        }

        var metrics = new RunMetrics();
        var book = new IdentityBook(plan.IdentityCount);
        var errors = new ErrorSamples();
        var store = dataSource is null ? null : new AuditStore(dataSource);
        var visibility = options.Mode == LoadMode.Async && store is not null && options.VerifySample > 0
            ? new VisibilitySampler(plan.Count, options.VerifySample, ids, store, http, keys.Analyst)
            : null;
        var executor = new RequestExecutor(transport, options.Mode, plan, bodies, ids, metrics, book, errors, visibility);
        var work = new WorkQueue(plan.Count, options.RecordsPerRequest);

        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        using var runFinished = new CancellationTokenSource();
        using var tickerStop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (!stop.IsCancellationRequested)
            {
                // First Ctrl+C: stop sending, let requests in flight finish, still verify and report.
                e.Cancel = true;
                stop.Cancel();
            }
            else
            {
                // Second Ctrl+C: leave e.Cancel false, so the runtime ends the process.
                abort.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var sampler = new ProgressSampler(metrics, plan.Count);
            sampler.Start();
            var ticker = sampler.RunAsync(tickerStop.Token);
            var visibilityDone = visibility?.RunAsync(runFinished.Token, options.SettleTimeout, abort.Token) ?? Task.CompletedTask;
            var load = LoadThenCloseSamplerAsync(executor, work, sampler, ticker, tickerStop, stop.Token);
            if (options.NoLive || Console.IsOutputRedirected)
            {
                await PlainProgress.ShowAsync(sampler, load, output);
            }
            else
            {
                await LiveDashboard.ShowAsync(sampler, $"Kontakt load test {ids.RunId} · {modeName} · {model}", load);
            }
            await load;
            await runFinished.CancelAsync();

            var results = Results(metrics, sampler, errors, stop.IsCancellationRequested);
            ConsoleSummary.WriteResults(output, results);

            var verification = await new Verifier(options, plan, ids, metrics, book, store).VerifyAsync(visibility, visibilityDone, results.Interrupted, output, abort.Token);
            var scenario = options.Scenario == Kontakt1mScenario.Name
                ? Kontakt1mScenario.Judge(options.Records, results.AcknowledgedRecords, TimeSpan.FromSeconds(results.ElapsedSeconds),
                    verification.QueryableAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null)
                : null;
            ConsoleSummary.WriteVerification(output, verification, scenario);

            var report = new RunReport(
                ids.RunId,
                startedAt,
                DateTimeOffset.UtcNow,
                CommandLineText.Format(options.Arguments),
                // Argument by argument: the raw process command line has lost its quoting, so it cannot be redacted reliably.
                string.Join(' ', Environment.GetCommandLineArgs().Select(CommandLineText.Redact)),
                MachineInfo.Capture(),
                Settings(ids, databaseDescription),
                new DataSummary(plan.IdentityCount, plan.ReturningCount, plan.NameVariantCount, plan.ColorChangeCount,
                    Math.Round(generation.Elapsed.TotalSeconds, 3), DryRun.ExampleNames(plan, 12)),
                results,
                sampler.Samples(),
                verification,
                scenario);
            var directory = options.ReportDirectory ?? ReportFiles.DefaultDirectory(startedAt, modeName);
            foreach (var file in await ReportFiles.WriteAsync(report, directory, CancellationToken.None))
            {
                Line($"Wrote {file}");
            }
            Line($"{(report.Passed ? "PASS" : "FAIL")}");
            return report.Passed ? ExitCodes.Passed : ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Line($"Aborted.");
            return ExitCodes.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // The final partial second is sampled before the live display's last refresh, so it shows the end state.
    private async Task LoadThenCloseSamplerAsync(
        RequestExecutor executor, WorkQueue work, ProgressSampler sampler, Task ticker, CancellationTokenSource tickerStop, CancellationToken stop)
    {
        try
        {
            await (options.OpenModel
                ? new OpenLoadModel(executor, work, options.Concurrency, options.Rate!.Value, options.RecordsPerRequest).RunAsync(stop)
                : new ClosedLoadModel(executor, work, options.Concurrency).RunAsync(stop));
        }
        finally
        {
            await tickerStop.CancelAsync();
            await ticker;
            sampler.Sample(final: true);
        }
    }

    private RunResults Results(RunMetrics metrics, ProgressSampler sampler, ErrorSamples errors, bool interrupted)
    {
        var first = metrics.FirstSendTimestamp;
        var last = metrics.LastAcknowledgedTimestamp;
        var elapsed = first == 0 ? 0 : Stopwatch.GetElapsedTime(first, last != 0 ? last : Stopwatch.GetTimestamp()).TotalSeconds;
        return new RunResults(
            metrics.AcknowledgedRecords,
            metrics.FailedRecords,
            metrics.AcknowledgedRequests,
            metrics.FailedRequests,
            metrics.Attempts,
            Math.Round(elapsed, 3),
            elapsed > 0 ? Math.Round(metrics.AcknowledgedRecords / elapsed, 1) : 0,
            elapsed > 0 ? Math.Round(metrics.AcknowledgedRequests / elapsed, 1) : 0,
            options.Mode == LoadMode.Async ? null : metrics.NewPatients,
            LatencySummary.From(sampler.Cumulative()),
            options.OpenModel
                ? "from each request's intended send time (open model, coordinated omission corrected) to its acknowledgement, retries included"
                : "from each request's first send to its acknowledgement, retries included",
            metrics.StatusCounts().ToDictionary(p => AttemptStatus.Describe(p.Key), p => p.Value),
            errors.ToList(),
            interrupted);
    }

    private RunSettings Settings(RecordIdScheme ids, string database) => new(
        options.Target.ToString(),
        options.Mode.ToString().ToLowerInvariant(),
        options.OpenModel ? "open" : "closed",
        options.Records,
        options.BatchSize,
        options.Concurrency,
        options.Client.ToString().ToLowerInvariant(),
        options.Rate,
        options.Returning,
        options.ColorChanges,
        options.Seed,
        options.Scenario,
        ids.Prefix,
        database);

    private async Task<(NpgsqlDataSource? DataSource, string Description, string? Error)> OpenDatabaseAsync(RecordIdScheme ids)
    {
        if (options.SkipVerify)
        {
            return (null, "not used (--skip-verify)", null);
        }
        var (connectionString, description, error) = DatabaseTarget.Resolve(options);
        if (connectionString is null)
        {
            return (null, description, error);
        }
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            // Also proves the schema is there before any load is sent.
            await new AuditStore(dataSource).CountRecordsAsync(ids.LikePattern, CancellationToken.None);
            Line($"Verifying against {description}.");
            return (dataSource, description, null);
        }
        catch (Exception failure) when (failure is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await dataSource.DisposeAsync();
            return (null, description, $"{description}: {failure.Message} (pass --db, --embedded-data-dir/--embedded-port, or --skip-verify)");
        }
    }

    private static async Task<string?> TargetNotReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative), CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return null;
            }
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            return $"GET {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}";
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return $"{http.BaseAddress}: {error.Message}";
        }
    }

    private void Line(FormattableString text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
