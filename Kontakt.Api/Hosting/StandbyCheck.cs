using Kontakt.Core.Temporal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kontakt.Api.Hosting;

/// <summary>
/// Where public reads go. An unreachable standby leaves the service ready — the primary answers those reads — so
/// it is Degraded (200, named in the body), never Unhealthy: taking every API process out of a balancer because a
/// standby is down would turn a slower read path into an outage.
/// </summary>
internal sealed class StandbyCheck(StandbyStatus status) : IHealthCheck
{
    public const string Name = "standby";

    // A fixed word under "reason", as the other readiness checks give, for a readiness gauge's label.
    private static readonly Dictionary<string, object> Unreachable = new() { ["reason"] = "standby_unreachable" };

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Configured && !status.Reachable
            ? HealthCheckResult.Degraded(status.Describe(), data: Unreachable)
            : HealthCheckResult.Healthy(status.Describe()));
}
