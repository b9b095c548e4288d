using System.Globalization;
using System.Text;

namespace Kontakt.LoadTest.Reporting;

/// <summary>The report as Markdown, for pasting into docs and pull requests.</summary>
public static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var r = report.Results;
        var s = report.Settings;
        var md = new StringBuilder();
        Line(md, $"# Kontakt load test {report.RunId}: {(report.Passed ? "PASS" : "FAIL")}");
        Line(md, $"");
        Line(md, $"{s.Mode} mode, {s.LoadModel} model, {s.Client} client, {s.Records:N0} records against {s.Target}, {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC.");
        Line(md, $"");
        Line(md, $"```");
        Line(md, $"{report.CommandLine}");
        Line(md, $"```");
        Line(md, $"");
        Line(md, $"## Results");
        Line(md, $"");
        Line(md, $"| | |");
        Line(md, $"|---|---:|");
        Line(md, $"| Records acknowledged | {r.AcknowledgedRecords:N0} |");
        Line(md, $"| Records given up on | {r.FailedRecords:N0} |");
        Line(md, $"| Elapsed (first send to last ack) | {r.ElapsedSeconds:N2} s |");
        Line(md, $"| Throughput | {r.RecordsPerSecond:N0} records/s ({r.RequestsPerSecond:N0} requests/s) |");
        Line(md, $"| Requests / attempts | {r.AcknowledgedRequests + r.FailedRequests:N0} / {r.Attempts:N0} |");
        Line(md, $"| New patients reported | {NewPatientsText(r)} |");
        if (r.Interrupted)
        {
            Line(md, $"| Interrupted | yes (Ctrl+C) |");
        }
        Line(md, $"");
        Line(md, $"Latency per request, ms ({r.LatencyMeasuredFrom}):");
        Line(md, $"");
        Line(md, $"| p50 | p90 | p99 | p99.9 | max | count |");
        Line(md, $"|---:|---:|---:|---:|---:|---:|");
        Line(md, $"| {r.Latency.P50Ms:0.###} | {r.Latency.P90Ms:0.###} | {r.Latency.P99Ms:0.###} | {r.Latency.P999Ms:0.###} | {r.Latency.MaxMs:0.###} | {r.Latency.Count:N0} |");
        Line(md, $"");
        Line(md, $"Attempts by status: {string.Join(", ", r.StatusCounts.Select(p => $"{p.Key}: {p.Value:N0}"))}");
        Line(md, $"");

        Line(md, $"## Verification");
        Line(md, $"");
        Line(md, $"| Check | Result | Detail |");
        Line(md, $"|---|---|---|");
        foreach (var check in report.Verification.Checks)
        {
            Line(md, $"| {Cell(check.Name)} | {check.Status} | {Cell(check.Detail)} |");
        }
        if (report.Verification.QueryableAfterMs is { } queryable)
        {
            Line(md, $"");
            Line(md, $"All acknowledged records were counted in the audit store {queryable:N0} ms after the last acknowledgement.");
        }
        if (report.Scenario is { } scenario)
        {
            Line(md, $"");
            Line(md, $"## Scenario {scenario.Scenario}: {(scenario.Passed ? "PASS" : "FAIL")}");
            Line(md, $"");
            foreach (var criterion in scenario.Criteria)
            {
                Line(md, $"- {criterion.Status} {criterion.Name}: {criterion.Detail}");
            }
        }

        Line(md, $"");
        Line(md, $"## Data");
        Line(md, $"");
        var d = report.Data;
        Line(md, $"{d.Identities:N0} identities; {d.ReturningRecords:N0} returning records ({d.NameVariants:N0} with the name in other case or spacing, {d.ColorChanges:N0} with a new color); seed {s.Seed}; generated in {d.GenerationSeconds:N2} s. Record IDs start with `{s.RecordIdPrefix}`.");
        Line(md, $"");
        Line(md, $"Example names: {string.Join(" · ", d.ExampleNames.Select(n => $"`{n}`"))}");
        Line(md, $"");

        Line(md, $"## Machine");
        Line(md, $"");
        var m = report.Machine;
        Line(md, $"{m.ProcessorCount} logical processors ({m.CpuModel ?? "unknown CPU"}), {m.MemoryGiB} GiB, {m.Os} {m.Architecture}, {m.Runtime}, {m.GarbageCollector} GC, host {m.MachineName}. Database: {s.Database}.");
        Line(md, $"");

        if (r.ErrorSamples.Count > 0)
        {
            Line(md, $"## First error responses");
            Line(md, $"");
            foreach (var sample in r.ErrorSamples)
            {
                Line(md, $"- {Cell(sample)}");
            }
            Line(md, $"");
        }

        Line(md, $"## Per second");
        Line(md, $"");
        Line(md, $"| s | records/s | requests/s | non-2xx | in flight | p50 ms | p99 ms | max ms |");
        Line(md, $"|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in report.Series)
        {
            Line(md, $"| {p.Second:0.#} | {p.RecordsPerSecond:N0} | {p.RequestsPerSecond:N0} | {p.NonSuccessAttempts:N0} | {p.InFlight:N0} | {p.P50Ms:0.##} | {p.P99Ms:0.##} | {p.MaxMs:0.##} |");
        }
        return md.ToString();
    }

    public static string NewPatientsText(RunResults results) =>
        results.NewPatients is { } count ? count.ToString("N0", CultureInfo.InvariantCulture) : "n/a (202s do not say)";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static void Line(StringBuilder builder, FormattableString text) =>
        builder.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
