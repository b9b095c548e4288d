using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Npgsql;

namespace Kontakt.Tests.Storage;

/// <summary>Replicas starting together on a new database all migrate it at once.</summary>
public sealed class ConcurrentMigrationTests
{
    [Fact]
    public async Task Eight_migrators_starting_together_on_a_new_database_all_succeed_and_apply_each_migration_once()
    {
        var server = new NpgsqlConnectionStringBuilder(await TestDatabaseServer.CreateDatabaseAsync());
        var database = $"kontakt_new_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            // The name is ours, made of hex digits: nothing to quote.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        server.Database = database;
        server.Pooling = false;

        var sources = Enumerable.Range(0, 8).Select(_ => NpgsqlDataSource.Create(server.ConnectionString)).ToArray();
        try
        {
            await Task.WhenAll(sources.Select(source => SchemaMigrator.MigrateAsync(source, CancellationToken.None)));

            await using var applied = sources[0].CreateCommand(
                "SELECT count(*), count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\"");
            await using var reader = await applied.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.GetInt64(0) > 0);
            Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }
}
