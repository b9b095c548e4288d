using System.Globalization;
using System.Net;
using System.Text;

namespace Kontakt.LoadTest.Reporting;

/// <summary>The report as one self-contained HTML file: inline CSS and SVG, no script, no network.</summary>
public static class HtmlReport
{
    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:980px;color:#1d2330;padding:0 16px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
        .badge{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600;margin-left:8px}
        .PASS{background:#1a7f37}.FAIL{background:#cf222e}.SKIP{background:#6e7781}
        table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #dde2ea;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f3f5f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
        pre{background:#f3f5f8;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
        .muted{color:#57606a}.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
        .kpi{border:1px solid #dde2ea;border-radius:6px;padding:8px 14px;min-width:130px}.kpi b{display:block;font-size:20px}
        svg.chart{max-width:100%;height:auto;margin:8px 0}.grid{stroke:#e6e9ef;stroke-width:1}.frame{fill:none;stroke:#b8c0cc}
        .tick,.axis{font:11px system-ui,sans-serif;fill:#57606a}.legend{font:600 11px system-ui,sans-serif}.chart-title{font:600 13px system-ui,sans-serif;fill:#1d2330}
        """;

    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var r = report.Results;
        var s = report.Settings;
        var html = new StringBuilder();
        var verdict = report.Passed ? "PASS" : "FAIL";
        Raw(html, $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        Raw(html, $"<title>Kontakt load test {E(report.RunId)} {verdict}</title><style>{Style}</style></head><body>");
        Raw(html, $"<h1>Kontakt load test <span class=\"muted\">{E(report.RunId)}</span><span class=\"badge {verdict}\">{verdict}</span></h1>");
        Raw(html, $"<div class=\"muted\">{E(s.Mode)} mode, {E(s.LoadModel)} model, {s.Records:N0} records against {E(s.Target)} · {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC</div>");
        Raw(html, $"<pre>{E(report.CommandLine)}</pre>");

        Raw(html, $"<div class=\"kpis\">");
        Kpi(html, "records/s", r.RecordsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        Kpi(html, "acknowledged", r.AcknowledgedRecords.ToString("N0", CultureInfo.InvariantCulture));
        Kpi(html, "elapsed", r.ElapsedSeconds.ToString("N2", CultureInfo.InvariantCulture) + " s");
        Kpi(html, "p50", r.Latency.P50Ms.ToString("0.##", CultureInfo.InvariantCulture) + " ms");
        Kpi(html, "p99", r.Latency.P99Ms.ToString("0.##", CultureInfo.InvariantCulture) + " ms");
        Kpi(html, "max", r.Latency.MaxMs.ToString("0.##", CultureInfo.InvariantCulture) + " ms");
        Raw(html, $"</div>");

        var seconds = report.Series.Select(p => p.Second).ToArray();
        Raw(html, $"<h2>Over time</h2>");
        html.Append(SvgLineChart.Render("Throughput per second", "records/s", seconds,
            [new ChartSeries("records/s", "#0969da", [.. report.Series.Select(p => p.RecordsPerSecond)])]));
        html.Append(SvgLineChart.Render("Latency of requests acknowledged in each second", "ms", seconds,
        [
            new ChartSeries("p50", "#1a7f37", [.. report.Series.Select(p => p.P50Ms)]),
            new ChartSeries("p99", "#cf222e", [.. report.Series.Select(p => p.P99Ms)]),
        ]));
        if (report.Series.Any(p => p.NonSuccessAttempts > 0))
        {
            html.Append(SvgLineChart.Render("Non-2xx attempts per second (503 = queue full)", "attempts", seconds,
                [new ChartSeries("non-2xx", "#bc4c00", [.. report.Series.Select(p => (double)p.NonSuccessAttempts)])]));
        }

        Raw(html, $"<h2>Results</h2><table>");
        Row(html, "Records acknowledged", r.AcknowledgedRecords.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "Records given up on", r.FailedRecords.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "Elapsed (first send to last ack)", r.ElapsedSeconds.ToString("N3", CultureInfo.InvariantCulture) + " s");
        Row(html, "Throughput", $"{r.RecordsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} records/s, {r.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} requests/s");
        Row(html, "Requests / attempts", $"{(r.AcknowledgedRequests + r.FailedRequests).ToString("N0", CultureInfo.InvariantCulture)} / {r.Attempts.ToString("N0", CultureInfo.InvariantCulture)}");
        Row(html, "New patients reported", MarkdownReport.NewPatientsText(r));
        Row(html, "Attempts by status", string.Join(", ", r.StatusCounts.Select(p => $"{p.Key}: {p.Value.ToString("N0", CultureInfo.InvariantCulture)}")));
        if (r.Interrupted)
        {
            Row(html, "Interrupted", "yes (Ctrl+C)");
        }
        Raw(html, $"</table>");
        Raw(html, $"<p class=\"muted\">Latency per request in ms, measured {E(r.LatencyMeasuredFrom)}.</p><table><tr><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>count</th></tr>");
        Raw(html, $"<tr><td class=\"n\">{r.Latency.P50Ms:0.###}</td><td class=\"n\">{r.Latency.P90Ms:0.###}</td><td class=\"n\">{r.Latency.P99Ms:0.###}</td><td class=\"n\">{r.Latency.P999Ms:0.###}</td><td class=\"n\">{r.Latency.MaxMs:0.###}</td><td class=\"n\">{r.Latency.Count:N0}</td></tr></table>");

        Raw(html, $"<h2>Verification</h2><table><tr><th>Check</th><th>Result</th><th>Detail</th></tr>");
        foreach (var check in report.Verification.Checks)
        {
            Raw(html, $"<tr><td>{E(check.Name)}</td><td><span class=\"badge {check.Status}\">{check.Status}</span></td><td>{E(check.Detail)}</td></tr>");
        }
        Raw(html, $"</table>");
        if (report.Verification.QueryableAfterMs is { } queryable)
        {
            Raw(html, $"<p>All acknowledged records were counted in the audit store {queryable:N0} ms after the last acknowledgement.</p>");
        }
        if (report.Scenario is { } scenario)
        {
            var scenarioVerdict = scenario.Passed ? "PASS" : "FAIL";
            Raw(html, $"<h2>Scenario {E(scenario.Scenario)}<span class=\"badge {scenarioVerdict}\">{scenarioVerdict}</span></h2><table>");
            foreach (var criterion in scenario.Criteria)
            {
                Raw(html, $"<tr><td>{E(criterion.Name)}</td><td><span class=\"badge {criterion.Status}\">{criterion.Status}</span></td><td>{E(criterion.Detail)}</td></tr>");
            }
            Raw(html, $"</table>");
        }

        var d = report.Data;
        Raw(html, $"<h2>Data</h2><p>{d.Identities:N0} identities; {d.ReturningRecords:N0} returning records ({d.NameVariants:N0} with the name in other case or spacing, {d.ColorChanges:N0} with a new color); seed {s.Seed}; generated in {d.GenerationSeconds:N2} s. Record IDs start with <code>{E(s.RecordIdPrefix)}</code>.</p>");
        Raw(html, $"<p class=\"muted\">Example names: {E(string.Join(" · ", d.ExampleNames))}</p>");

        var m = report.Machine;
        Raw(html, $"<h2>Settings and machine</h2><table>");
        Row(html, "Target", s.Target);
        Row(html, "Mode / model", $"{s.Mode} / {s.LoadModel}");
        Row(html, "Concurrency", s.Concurrency.ToString(CultureInfo.InvariantCulture));
        Row(html, "Client", s.Client);
        Row(html, "Rate", s.RateRecordsPerSecond is { } rate ? rate.ToString("N0", CultureInfo.InvariantCulture) + " records/s" : "closed model");
        Row(html, "Batch size", s.Mode == "batch" ? s.BatchSize.ToString(CultureInfo.InvariantCulture) : "n/a");
        Row(html, "Returning / color changes", string.Create(CultureInfo.InvariantCulture, $"{s.Returning} / {s.ColorChanges}"));
        Row(html, "Database", s.Database);
        Row(html, "Processors", $"{m.ProcessorCount} ({m.CpuModel ?? "unknown CPU"})");
        Row(html, "Memory", string.Create(CultureInfo.InvariantCulture, $"{m.MemoryGiB} GiB"));
        Row(html, "OS", $"{m.Os} {m.Architecture}");
        Row(html, "Runtime", $"{m.Runtime}, {m.GarbageCollector} GC");
        Row(html, "Host", m.MachineName);
        Row(html, "Process command line", report.ProcessCommandLine);
        Row(html, "Started / finished", string.Create(CultureInfo.InvariantCulture, $"{report.StartedAt:O} / {report.FinishedAt:O}"));
        Raw(html, $"</table>");

        if (r.ErrorSamples.Count > 0)
        {
            Raw(html, $"<h2>First error responses</h2><pre>{E(string.Join("\n", r.ErrorSamples))}</pre>");
        }

        Raw(html, $"<h2>Per second</h2><details><summary>{report.Series.Count} samples</summary><table><tr><th>s</th><th>records/s</th><th>requests/s</th><th>non-2xx</th><th>in flight</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th></tr>");
        foreach (var p in report.Series)
        {
            Raw(html, $"<tr><td class=\"n\">{p.Second:0.#}</td><td class=\"n\">{p.RecordsPerSecond:N0}</td><td class=\"n\">{p.RequestsPerSecond:N0}</td><td class=\"n\">{p.NonSuccessAttempts:N0}</td><td class=\"n\">{p.InFlight:N0}</td><td class=\"n\">{p.P50Ms:0.##}</td><td class=\"n\">{p.P99Ms:0.##}</td><td class=\"n\">{p.MaxMs:0.##}</td></tr>");
        }
        Raw(html, $"</table></details></body></html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static void Kpi(StringBuilder html, string label, string value) =>
        html.Append("<div class=\"kpi\"><span class=\"muted\">").Append(E(label)).Append("</span><b>").Append(E(value)).Append("</b></div>");

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static void Raw(StringBuilder html, FormattableString text) => html.Append(text.ToString(CultureInfo.InvariantCulture));
}
