using System.Diagnostics;

namespace Kontakt.Tests.Telemetry;

/// <summary>
/// deploy/prometheus/kontakt-alerts.yml is valid (<c>promtool check rules</c>) and fires as its unit tests
/// say (<c>promtool test rules</c>). promtool comes with Debian's prometheus package, which CI installs.
/// </summary>
public sealed class AlertRulesTests
{
    private static readonly string RulesDirectory = Path.Combine(AppContext.BaseDirectory, "deploy", "prometheus");

    [Fact]
    public async Task Alert_rules_pass_promtool_check()
    {
        var (exitCode, output) = await PromtoolAsync("check", "rules", "kontakt-alerts.yml");
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 5 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_rules_fire_as_their_unit_tests_expect()
    {
        var (exitCode, output) = await PromtoolAsync("test", "rules", "kontakt-alerts.test.yml");
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grafana_dashboard_charts_only_metrics_the_alerts_and_docs_know()
    {
        var dashboard = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "deploy", "grafana", "kontakt-dashboard.json"));
        using var json = System.Text.Json.JsonDocument.Parse(dashboard);
        var expressions = json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
        foreach (var metric in new[] { "kontakt_ready", "kontakt_queue_oldest_record_age_seconds", "http_server_request_duration_seconds",
                     "kontakt_records_dead_lettered_total", "kontakt_standby_replay_lag_seconds", "kontakt_records_committed_total" })
        {
            Assert.Contains(expressions, expr => expr.Contains(metric, StringComparison.Ordinal));
        }
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { WorkingDirectory = RulesDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var promtool = Process.Start(start)!;
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, await stdout + await stderr);
    }
}
