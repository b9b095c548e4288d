using Kontakt.Core.Storage;
using Npgsql;

namespace Kontakt.Api.Hosting;

/// <summary>
/// At start-up, as the schema owner: applies migrations, then grants the runtime role what it needs
/// (after every migration, so a new table is granted as soon as it exists). Retries while the
/// database is still coming up.
/// </summary>
internal sealed partial class SchemaMigrationService(
    DatabaseSettings database,
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
                await MigrateAndGrantAsync(database, logger, cancellationToken);
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

    /// <summary>Migrates as the schema owner and grants the runtime role; also what <c>keys</c> on the command line runs first.</summary>
    internal static async Task MigrateAndGrantAsync(DatabaseSettings database, ILogger logger, CancellationToken cancellationToken)
    {
        await using var owner = new NpgsqlDataSourceBuilder(database.MigrationConnectionString) { Name = "kontakt-migrations" }.Build();
        await SchemaMigrator.MigrateAsync(owner, cancellationToken);
        if (database.RuntimeRole is { } runtimeRole)
        {
            await DatabaseRoles.GrantRuntimeAsync(owner, runtimeRole, cancellationToken);
            if (!await DatabaseRoles.GrantAnalystAsync(owner, cancellationToken))
            {
                LogNoAnalystRole(logger, DatabaseRoles.AnalystRole);
            }
            LogGranted(logger, runtimeRole);
        }
        else if (await DatabaseRoles.IsSuperuserAsync(owner, cancellationToken))
        {
            LogSuperuser(logger, DatabaseSettings.ConnectionStringName, DatabaseSettings.MigrationsConnectionStringName);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runtime database role {Role} granted what the service needs")]
    private static partial void LogGranted(ILogger logger, string role);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Database role {Role} does not exist and this login may not create it: no read-only analyst role (docs/database-roles.md)")]
    private static partial void LogNoAnalystRole(ILogger logger, string role);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The service connects to PostgreSQL as a superuser. Give ConnectionStrings:{Runtime} a runtime role and ConnectionStrings:{Owner} the schema owner (docs/database-roles.md)")]
    private static partial void LogSuperuser(ILogger logger, string runtime, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, int attempt, string reason);
}
