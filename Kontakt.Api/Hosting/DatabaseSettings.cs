using Kontakt.Core.Storage.Embedded;

namespace Kontakt.Api.Hosting;

/// <summary>
/// Which PostgreSQL the service uses: <c>ConnectionStrings:Kontakt</c> when set, otherwise a
/// private embedded cluster started from the machine's PostgreSQL binaries.
/// </summary>
internal sealed class DatabaseSettings
{
    public const string ConnectionStringName = "Kontakt";
    public const string EmbeddedDatabaseName = "kontakt";

    private DatabaseSettings(string connectionString, PostgresCluster? embedded)
    {
        ConnectionString = connectionString;
        Embedded = embedded;
    }

    public string ConnectionString { get; }

    /// <summary>The embedded cluster, or null when an external server is configured.</summary>
    public PostgresCluster? Embedded { get; }

    public static DatabaseSettings From(IConfiguration configuration, EmbeddedPostgresOptions embeddedOptions, ILogger logger)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new DatabaseSettings(configured, embedded: null);
        }
        var cluster = new PostgresCluster(embeddedOptions, logger);
        return new DatabaseSettings(cluster.ConnectionString(EmbeddedDatabaseName), cluster);
    }
}
