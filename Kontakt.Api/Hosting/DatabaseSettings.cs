using Kontakt.Core.Storage;
using Kontakt.Core.Storage.Embedded;
using Npgsql;

namespace Kontakt.Api.Hosting;

/// <summary>
/// Which PostgreSQL the service uses and as whom. <c>ConnectionStrings:Kontakt</c> is the runtime
/// connection every service session uses; the optional <c>ConnectionStrings:KontaktMigrations</c>
/// is the schema owner's, which migrates and then grants the runtime login what it needs. Without
/// either, a private embedded cluster started from the machine's PostgreSQL binaries, whose
/// superuser migrates and whose <see cref="DatabaseRoles.EmbeddedRuntimeRole"/> does the rest.
/// The optional <c>ConnectionStrings:KontaktReadOnly</c> names a streaming standby of that database for
/// public reads (docs/scaling.md, "Reads from standbys").
/// </summary>
internal sealed class DatabaseSettings
{
    public const string ConnectionStringName = "Kontakt";
    public const string MigrationsConnectionStringName = "KontaktMigrations";
    public const string ReadOnlyConnectionStringName = "KontaktReadOnly";
    public const string EmbeddedDatabaseName = "kontakt";

    private DatabaseSettings(string connectionString, string migrationConnectionString, string? runtimeRole, PostgresCluster? embedded, string? readOnly)
    {
        ConnectionString = connectionString;
        ReadOnlyConnectionString = string.IsNullOrWhiteSpace(readOnly) ? null : readOnly;
        MigrationConnectionString = migrationConnectionString;
        RuntimeRole = runtimeRole;
        Embedded = embedded;
    }

    /// <summary>The runtime connection: every service session.</summary>
    public string ConnectionString { get; }

    /// <summary>A standby's connection for public reads, or null when every read goes to the primary.</summary>
    public string? ReadOnlyConnectionString { get; }

    /// <summary>The schema owner's connection: migrations and grants. The runtime one when only that is configured.</summary>
    public string MigrationConnectionString { get; }

    /// <summary>The runtime login to grant after migrating, or null when one login does everything.</summary>
    public string? RuntimeRole { get; }

    /// <summary>The embedded cluster, or null when an external server is configured.</summary>
    public PostgresCluster? Embedded { get; }

    public static DatabaseSettings From(IConfiguration configuration, EmbeddedPostgresOptions embeddedOptions, ILogger logger)
    {
        var runtime = configuration.GetConnectionString(ConnectionStringName);
        var owner = configuration.GetConnectionString(MigrationsConnectionStringName);
        var readOnly = configuration.GetConnectionString(ReadOnlyConnectionStringName);
        if (!string.IsNullOrWhiteSpace(runtime))
        {
            if (string.IsNullOrWhiteSpace(owner))
            {
                return new DatabaseSettings(runtime, runtime, runtimeRole: null, embedded: null, readOnly);
            }
            var runtimeUser = new NpgsqlConnectionStringBuilder(runtime).Username;
            var ownerUser = new NpgsqlConnectionStringBuilder(owner).Username;
            if (string.IsNullOrWhiteSpace(runtimeUser))
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:{ConnectionStringName} names no Username: with ConnectionStrings:{MigrationsConnectionStringName} set, it is the runtime role to grant.");
            }
            var runtimeRole = string.Equals(runtimeUser, ownerUser, StringComparison.Ordinal) ? null : runtimeUser;
            return new DatabaseSettings(runtime, owner, runtimeRole, embedded: null, readOnly);
        }
        if (!string.IsNullOrWhiteSpace(owner))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{MigrationsConnectionStringName} is set without ConnectionStrings:{ConnectionStringName}, the runtime connection.");
        }
        var cluster = new PostgresCluster(embeddedOptions, logger);
        return new DatabaseSettings(
            cluster.RuntimeConnectionString(EmbeddedDatabaseName),
            cluster.ConnectionString(EmbeddedDatabaseName),
            DatabaseRoles.EmbeddedRuntimeRole,
            cluster,
            readOnly);
    }
}
