using Kontakt.Core.Storage.Schema;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kontakt.Core.Storage;

/// <summary>Applies the EF Core migrations and reports whether the schema is current.</summary>
public static class SchemaMigrator
{
    /// <summary>
    /// Brings the database to the latest migration. Safe to run from several processes at once:
    /// EF Core holds a migration lock while it applies.
    /// </summary>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var context = CreateContext(dataSource);
        await context.Database.MigrateAsync(cancellationToken);
    }

    private static KontaktDbContext CreateContext(NpgsqlDataSource dataSource) =>
        new(new DbContextOptionsBuilder<KontaktDbContext>().UseNpgsql(dataSource).Options);
}
