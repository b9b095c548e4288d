namespace Kontakt.Api.Hosting;

/// <summary>
/// Starts the embedded PostgreSQL cluster (and its runtime role) before anything else and stops it
/// after everything else (hosted services stop in reverse order), so writers drain into a running
/// database — unless another Kontakt process still uses it.
/// </summary>
internal sealed class EmbeddedPostgresService(DatabaseSettings database) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Embedded is { } cluster)
        {
            await cluster.StartAsync(cancellationToken);
            await cluster.EnsureDatabaseAsync(DatabaseSettings.EmbeddedDatabaseName, cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (database.Embedded is { } cluster)
        {
            await cluster.StopAsync(CancellationToken.None);
        }
    }
}
