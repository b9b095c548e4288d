using System.Globalization;
using Kontakt.LoadTest.Scenarios;

namespace Kontakt.LoadTest.Reporting;

/// <summary>The end-of-run summary on the console: plain text, so it reads the same in a log.</summary>
public static class ConsoleSummary
{
    public static void WriteResults(TextWriter output, RunResults r)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(r);
        Line(output, $"");
        Line(output, $"Records acknowledged : {r.AcknowledgedRecords:N0}{(r.FailedRecords > 0 ? $" ({r.FailedRecords:N0} given up on)" : "")}{(r.Interrupted ? " (interrupted)" : "")}");
        Line(output, $"Elapsed              : {r.ElapsedSeconds:N3} s (first send to last acknowledgement)");
        Line(output, $"Throughput           : {r.RecordsPerSecond:N0} records/s ({r.RequestsPerSecond:N0} requests/s)");
        Line(output, $"Latency ms           : p50 {r.Latency.P50Ms:0.###}  p90 {r.Latency.P90Ms:0.###}  p99 {r.Latency.P99Ms:0.###}  p99.9 {r.Latency.P999Ms:0.###}  max {r.Latency.MaxMs:0.###}  ({r.LatencyMeasuredFrom})");
        Line(output, $"Attempts by status   : {string.Join(" · ", r.StatusCounts.Select(p => $"{p.Key}: {p.Value:N0}"))}");
        foreach (var sample in r.ErrorSamples.Take(3))
        {
            Line(output, $"  e.g. {sample}");
        }
    }

    public static void WriteVerification(TextWriter output, VerificationReport verification, ScenarioVerdict? scenario)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(verification);
        Line(output, $"");
        Line(output, $"Verification:");
        foreach (var check in verification.Checks)
        {
            Line(output, $"  {check.Status}  {check.Name}: {check.Detail}");
        }
        if (verification.QueryableAfterMs is { } queryable)
        {
            Line(output, $"  All acknowledged records were queryable {queryable:N0} ms after the last acknowledgement.");
        }
        if (scenario is not null)
        {
            Line(output, $"");
            Line(output, $"Scenario {scenario.Scenario}: {(scenario.Passed ? "PASS" : "FAIL")}");
            foreach (var criterion in scenario.Criteria)
            {
                Line(output, $"  {criterion.Status}  {criterion.Name}: {criterion.Detail}");
            }
        }
    }

    private static void Line(TextWriter output, FormattableString text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
