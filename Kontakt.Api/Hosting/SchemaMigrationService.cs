using Kontakt.Core.Storage;
using Npgsql;

namespace Kontakt.Api.Hosting;

/// <summary>Applies migrations at start-up, retrying while the database is still coming up.</summary>
internal sealed partial class SchemaMigrationService(
    NpgsqlDataSource dataSource,
    ServiceState state,
    ILogger<SchemaMigrationService> logger) : IHostedService
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SchemaMigrator.MigrateAsync(dataSource, cancellationToken);
                state.MarkMigrationsApplied();
                LogMigrated(logger);
                return;
            }
            catch (NpgsqlException error) when (error.IsTransient && DateTime.UtcNow < deadline)
            {
                LogWaiting(logger, attempt, error.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, int attempt, string reason);
}
