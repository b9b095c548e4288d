using Npgsql;

namespace Kontakt.Tests.Support;

/// <summary>Makes a test database refuse every write (read-only, as after a failover to a standby or a full disk), and back.</summary>
public static class ReadOnlyDatabase
{
    /// <summary>Switches the database and ends its other sessions, so new sessions start with the setting.</summary>
    public static async Task SetAsync(TestDatabase database, bool readOnly)
    {
        ArgumentNullException.ThrowIfNull(database);
        // A session of our own that the setting cannot reach (client options outrank database settings).
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, Options = "-c default_transaction_read_only=off" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        // ALTER DATABASE takes no parameters; the name comes from the test's own connection string.
        await using var alter = new NpgsqlCommand(
            $"ALTER DATABASE \"{builder.Database}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")}", connection);
        await alter.ExecuteNonQueryAsync();
        await using var end = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        await end.ExecuteNonQueryAsync();
        database.DataSource.Clear();
    }
}
