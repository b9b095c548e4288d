using Kontakt.Core.Storage.Schema;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kontakt.Core.Storage;

/// <summary>Applies the EF Core migrations and reports whether the schema is current.</summary>
public static class SchemaMigrator
{
    /// <summary>The session advisory lock migrating processes take turns on ("KontaktM" in ASCII).</summary>
    private const long MigrationLockKey = 0x4B6F_6E74_616B_744D;

    /// <summary>
    /// Brings the database to the latest migration. Safe to run from several processes at once: they
    /// take turns on an advisory lock, and each applies only what the one before it left unapplied.
    /// EF Core's own migration lock is not enough: two replicas starting on a new database both applied
    /// the first migrations (the second then failed on a constraint the first had already dropped).
    /// </summary>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var turn = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(turn, "SELECT pg_advisory_lock(@key)", cancellationToken);
        try
        {
            await using var context = CreateContext(dataSource);
            await context.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await ExecuteAsync(turn, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static KontaktDbContext CreateContext(NpgsqlDataSource dataSource) =>
        new(new DbContextOptionsBuilder<KontaktDbContext>().UseNpgsql(dataSource).Options);
}
