using System.Globalization;
using Kontakt.Core.Ingest;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kontakt.Api.Hosting;

/// <summary>
/// Ready = the database answers, the schema is migrated, the writers run, and they keep up:
/// commits succeed and no accepted record has waited longer than <see cref="IngestOptions.ReadyMaxLag"/>.
/// A database that answers SELECT but refuses writes (read-only, disk full) is not ready.
/// </summary>
internal sealed class ReadinessCheck(
    NpgsqlDataSource dataSource,
    ServiceState state,
    IngestObserver observer,
    IngestLag lag,
    IOptions<IngestOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.MigrationsApplied)
        {
            return NotReady("migrations", "Database migrations not applied yet.");
        }
        if (state.WritersRunning == 0)
        {
            return NotReady("writers", "No ingest writer is running.");
        }
        var failedCommits = observer.ConsecutiveFailedCommits;
        if (failedCommits >= options.Value.ReadyMaxFailedCommits)
        {
            return NotReady("commits_failing", string.Create(CultureInfo.InvariantCulture,
                $"The last {failedCommits} commit attempts failed; records wait for the database."));
        }
        var oldest = lag.OldestUncommittedAge();
        if (oldest > options.Value.ReadyMaxLag)
        {
            return NotReady("commit_lag", string.Create(CultureInfo.InvariantCulture,
                $"The oldest uncommitted record has waited {oldest.TotalSeconds:F1} s (limit {options.Value.ReadyMaxLag.TotalSeconds:F1} s)."));
        }
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
            return NotReady("database", "Database not reachable.");
        }
        return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{state.WritersRunning} writers running."));
    }

    /// <summary>Not ready, with the reason in one fixed word for <see cref="ReadinessGauge"/>.</summary>
    private static HealthCheckResult NotReady(string reason, string description) =>
        HealthCheckResult.Unhealthy(description, data: new Dictionary<string, object> { [ReadinessGauge.ReasonKey] = reason });
}
