using Kontakt.Api.Hosting;
using Kontakt.Core.Security;
using Npgsql;

namespace Kontakt.Api.Security;

/// <summary>
/// On the embedded cluster's first start, makes one key per role and writes each to the data
/// directory, so the service is usable out of the box and still closed to everyone else.
/// With an external database nothing is created: keys come from <c>keys create</c>.
/// </summary>
internal sealed partial class EmbeddedKeysService(DatabaseSettings database, NpgsqlDataSource dataSource, ILogger<EmbeddedKeysService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Embedded is not { } cluster)
        {
            return;
        }
        if (await EmbeddedKeys.EnsureAsync(dataSource, cluster.Root, cancellationToken))
        {
            LogCreated(logger, EmbeddedKeys.DirectoryOf(cluster.Root));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key existed: created one per role (ingest, analyst, auditor, admin) in {Directory}, readable only by this user")]
    private static partial void LogCreated(ILogger logger, string directory);
}
