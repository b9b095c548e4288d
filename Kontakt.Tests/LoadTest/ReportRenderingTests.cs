using System.Text.RegularExpressions;
using Kontakt.LoadTest.Cli;
using Kontakt.LoadTest.Load;
using Kontakt.LoadTest.Reporting;
using Kontakt.LoadTest.Scenarios;
using Kontakt.LoadTest.Verification;

namespace Kontakt.Tests.LoadTest;

public sealed partial class ReportRenderingTests
{
    private const string Target = "http://127.0.0.1:5000/";
    private const string SvgNamespace = "xmlns=\"http://www.w3.org/2000/svg\"";

    private static readonly string[] Arguments =
        ["--target", Target, "--mode", "batch", "--records", "3000", "--batch-size", "250", "--db", "Host=db;Username=kontakt;Password=hunter2"];

    // In a tag: an element that loads something, or an attribute that points somewhere.
    [GeneratedRegex(@"^<(?:script|link|iframe|img|image|object|embed|audio|video|source|base|use)\b|\s(?:src|href|xlink:href|action|formaction|poster|data|srcset)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex LoadingTag();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();

    private static void AssertLoadsNothing(string html)
    {
        Assert.All(Tag().Matches(html), tag => Assert.DoesNotMatch(LoadingTag(), tag.Value));
        Assert.All(Tag().Matches(html), tag => Assert.DoesNotMatch(@"\son[a-z]+\s*=", tag.Value));
        Assert.All(StyleBlock().Matches(html), style =>
        {
            Assert.DoesNotContain("url(", style.Groups[1].Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("@import", style.Groups[1].Value, StringComparison.OrdinalIgnoreCase);
        });
    }

    private static RunReport Report(
        IReadOnlyList<string>? arguments = null,
        IReadOnlyList<SecondSample>? series = null,
        IReadOnlyList<string>? exampleNames = null,
        IReadOnlyList<string>? errorSamples = null,
        ScenarioVerdict? scenario = null)
    {
        var started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var latency = new PercentileSummary(12, 1.5, 3.25, 7.5, 9.75, 10.125);
        var checks = new List<CheckResult>
        {
            VerificationRules.AuditStore(3_000, 3_000, 0),
            VerificationRules.ResponsesMatch(0),
            VerificationRules.AllAcknowledged(3_000, 3_000, 0, false),
        };
        return new RunReport(
            "20260102030405abc123",
            started,
            started.AddSeconds(4),
            CommandLineText.Format(arguments ?? Arguments),
            "/usr/bin/dotnet Kontakt.LoadTest.dll",
            new MachineInfo("host1", 2, "Test CPU", 4, "Linux", "X64", ".NET 10.0", "workstation, non-concurrent"),
            new RunSettings(Target, "batch", "closed", 3_000, 250, 16, "http", null, 0.3, 0.5, 42, null, "lt-20260102030405abc123-", "db:5432/kontakt as kontakt"),
            new DataSummary(2_100, 900, 270, 450, 0.125, exampleNames ?? ["Ada Lovelace", "Zoë O'Brien"]),
            new RunResults(3_000, 0, 12, 0, 13, 2.5, 1_234.4, 4.8, 2_100, latency, "from each request's first send to its acknowledgement, retries included",
                new Dictionary<string, long> { ["201"] = 12, ["503"] = 1 }, errorSamples ?? [], false),
            series ??
            [
                new SecondSample(1, 1, 1_000, 4, 1, 3, 1.5, 7.5, 9),
                new SecondSample(2, 1, 1_400, 5, 0, 2, 1.25, 6, 8),
                new SecondSample(2.5, 0.5, 1_200, 6, 0, 0, 1, 5, 5.5),
            ],
            new VerificationReport(checks, 3_000, 12.5, null),
            scenario);
    }

    private static string WithoutKnownUrls(string html) =>
        html.Replace(SvgNamespace, "", StringComparison.Ordinal).Replace(Target, "", StringComparison.Ordinal);

    [Fact]
    public void Html_report_has_inline_svg_charts_and_no_script()
    {
        var html = HtmlReport.Render(Report());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Html_report_loads_nothing_from_the_network()
    {
        var html = HtmlReport.Render(Report());
        AssertLoadsNothing(html);
        // The only URLs are the SVG namespace (an identifier, never fetched) and the target shown as text.
        var rest = WithoutKnownUrls(html);
        Assert.DoesNotContain("http://", rest, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", rest, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Html_report_escapes_text_so_markup_in_names_or_arguments_stays_text()
    {
        var html = HtmlReport.Render(Report(
            arguments: ["--report-dir", "<script>alert(1)</script>"],
            exampleNames: ["<img src=x onerror=alert(1)>"],
            errorSamples: ["503: <b>queue full</b>"]));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>queue", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        AssertLoadsNothing(html);
    }

    [Fact]
    public void Html_report_shows_the_verdict_checks_and_throughput()
    {
        var html = HtmlReport.Render(Report());
        Assert.Contains("badge PASS", html, StringComparison.Ordinal);
        Assert.Contains(VerificationRules.AuditStoreName, html, StringComparison.Ordinal);
        Assert.Contains("1,234", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_report_without_samples_still_renders_its_charts()
    {
        var html = HtmlReport.Render(Report(series: []));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("no data", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Html_report_of_a_failed_scenario_says_fail()
    {
        var verdict = Kontakt1mScenario.Judge(Kontakt1mScenario.Records, 10, TimeSpan.FromSeconds(61), null);
        var report = Report(scenario: verdict);
        Assert.False(report.Passed);
        var html = HtmlReport.Render(report);
        Assert.Contains("<span class=\"badge FAIL\">FAIL</span></h1>", html, StringComparison.Ordinal);
        Assert.Contains("Scenario kontakt-1m", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_report_holds_the_throughput_and_the_command_line()
    {
        var report = Report();
        var markdown = MarkdownReport.Render(report);

        Assert.StartsWith("# Kontakt load test 20260102030405abc123: PASS", markdown, StringComparison.Ordinal);
        Assert.Contains("| Throughput | 1,234 records/s (5 requests/s) |", markdown, StringComparison.Ordinal);
        Assert.Contains("```\n" + report.CommandLine + "\n```", markdown, StringComparison.Ordinal);
        Assert.Contains("dotnet run -c Release --project Kontakt.LoadTest -- --target http://127.0.0.1:5000/ --mode batch --records 3000", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_report_lists_every_check_and_every_second()
    {
        var report = Report();
        var markdown = MarkdownReport.Render(report);

        Assert.All(report.Verification.Checks, c => Assert.Contains($"| {c.Name} | PASS |", markdown, StringComparison.Ordinal));
        var perSecond = markdown[markdown.IndexOf("## Per second", StringComparison.Ordinal)..].Split('\n');
        // Header and alignment rows, then one row per sample.
        Assert.Equal(report.Series.Count + 2, perSecond.Count(l => l.StartsWith('|')));
        Assert.Contains("| 2.5 | 1,200 | 6 | 0 | 0 | 1 | 5 | 5.5 |", perSecond);
    }
}
