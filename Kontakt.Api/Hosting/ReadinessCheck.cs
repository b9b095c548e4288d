using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Kontakt.Api.Hosting;

/// <summary>Ready = the database answers, the schema is migrated, and the writers run.</summary>
internal sealed class ReadinessCheck(NpgsqlDataSource dataSource, ServiceState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.MigrationsApplied)
        {
            return HealthCheckResult.Unhealthy("Database migrations not applied yet.");
        }
        if (state.WritersRunning == 0)
        {
            return HealthCheckResult.Unhealthy("No ingest writer is running.");
        }
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
            return HealthCheckResult.Unhealthy("Database not reachable.");
        }
        return HealthCheckResult.Healthy($"{state.WritersRunning} writers running.");
    }
}
