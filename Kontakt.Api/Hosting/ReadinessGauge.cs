using System.Diagnostics.Metrics;
using Kontakt.Core.Ingest;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kontakt.Api.Hosting;

/// <summary>
/// <c>kontakt_ready</c>: 1 when <c>/health/ready</c> would answer 200, else 0, with the reason as a fixed word
/// (<c>ok</c>, <c>starting</c>, or the failing or degraded check's reason: <c>migrations</c>, <c>writers</c>,
/// <c>commits_failing</c>, <c>commit_lag</c>, <c>database</c>, <c>standby_unreachable</c>, else the check's name). The health check
/// publisher runs the readiness checks every few seconds and hands the report here, so the gauge is
/// current whether or not a load balancer polls <c>/health/ready</c>.
/// </summary>
internal sealed class ReadinessGauge : IHealthCheckPublisher
{
    /// <summary>Key of a readiness check's data entry that names why it failed, in one fixed word.</summary>
    public const string ReasonKey = "reason";

    private volatile Reading _current = new(false, "starting");

    public ReadinessGauge(IngestObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        observer.Meter.CreateObservableGauge("kontakt.ready", Observe, unit: null,
            "1 when the service is ready to take records (what /health/ready answers with 200), else 0; reason says why not.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        // As /health/ready: Degraded (a part is down, records are still taken) is ready, with the degraded part as reason.
        _current = report.Status == HealthStatus.Healthy
            ? new Reading(true, "ok")
            : new Reading(report.Status != HealthStatus.Unhealthy, Reason(report));
        return Task.CompletedTask;
    }

    private static string Reason(HealthReport report)
    {
        var failing = report.Entries.First(entry => entry.Value.Status == report.Status);
        return failing.Value.Data.TryGetValue(ReasonKey, out var reason) && reason is string word ? word : failing.Key;
    }

    private Measurement<int> Observe()
    {
        var reading = _current;
        return new Measurement<int>(reading.Ready ? 1 : 0, new KeyValuePair<string, object?>(ReasonKey, reading.Reason));
    }

    private sealed record Reading(bool Ready, string Reason);
}
