using Kontakt.Core.Storage.Embedded;
using Kontakt.LoadTest.Cli;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kontakt.LoadTest.Verification;

/// <summary>Which database the verification reads: <c>--db</c>, or the service's embedded cluster.</summary>
public static class DatabaseTarget
{
    /// <summary>The connection string and a password-free description, or an error message.</summary>
    public static (string? ConnectionString, string Description, string? Error) Resolve(LoadTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Database is { } given)
        {
            return (given, Describe(given), null);
        }
        var cluster = new PostgresCluster(
            new EmbeddedPostgresOptions { DataDirectory = options.EmbeddedDataDirectory, Port = options.EmbeddedPort },
            NullLogger.Instance);
        // ConnectionString() would create a password file where none exists; only read an existing cluster's.
        if (!File.Exists(Path.Combine(cluster.Root, "superuser.password")))
        {
            return (null, cluster.Root, $"No embedded cluster at {cluster.Root} (no superuser.password). Pass --db or --embedded-data-dir.");
        }
        var connectionString = cluster.ConnectionString("kontakt");
        return (connectionString, $"embedded cluster {cluster.Root}, {Describe(connectionString)}", null);
    }

    private static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }
}
