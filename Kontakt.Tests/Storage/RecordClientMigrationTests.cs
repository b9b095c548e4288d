using Kontakt.Core.Records;
using Kontakt.Core.Storage;
using Kontakt.Core.Storage.Schema;
using Kontakt.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Kontakt.Tests.Storage;

/// <summary>The migration that scoped recordIds per client, run over rows stored before it.</summary>
public sealed class RecordClientMigrationTests
{
    private const string BeforeScoping = "20261202081708_DeadLetterStorageUnavailable";

    [Fact]
    public async Task Rows_stored_before_recordIds_were_scoped_belong_to_the_legacy_client_and_new_rows_must_name_theirs()
    {
        var server = new NpgsqlConnectionStringBuilder(await TestDatabaseServer.CreateDatabaseAsync());
        var database = $"kontakt_scope_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            // The name is ours, made of hex digits: nothing to quote.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        server.Database = database;
        server.Pooling = false;
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using (var context = new KontaktDbContext(new DbContextOptionsBuilder<KontaktDbContext>().UseNpgsql(dataSource).Options))
        {
            await context.GetService<IMigrator>().MigrateAsync(BeforeScoping);
        }
        await ExecuteAsync(dataSource, """
            INSERT INTO phi.patients (patient_id, name_key, dob, created_at) VALUES (gen_random_uuid(), 'old person', '1970-01-01', now());
            INSERT INTO phi.records (record_id, patient_key, name, dob, favorite_color, created_patient, received_at, committed_at)
            SELECT 'old-1', patient_key, 'Old Person', '1970-01-01', NULL, true, now(), now() FROM phi.patients;
            INSERT INTO phi.dead_letters (record_id, code, field, reason, received_at, failed_at)
            VALUES ('old-2', 'conflict', 'recordId', 'r', now(), now());
            """);

        await SchemaMigrator.MigrateAsync(dataSource, CancellationToken.None);

        Assert.Equal(RecordClients.Legacy, await ScalarAsync<string>(dataSource, "SELECT client FROM phi.records WHERE record_id = 'old-1'"));
        Assert.Equal(RecordClients.Legacy, await ScalarAsync<string>(dataSource, "SELECT client FROM phi.dead_letters WHERE record_id = 'old-2'"));
        // The same recordId is free for a client; a row that names no client is refused (no default left behind).
        await ExecuteAsync(dataSource, """
            INSERT INTO phi.records (client, record_id, patient_key, name, dob, favorite_color, created_patient, received_at, committed_at)
            SELECT 'test-ingest', 'old-1', patient_key, 'Old Person', '1970-01-01', NULL, false, now(), now() FROM phi.patients;
            INSERT INTO phi.dead_letters (client, record_id, code, field, reason, received_at, failed_at)
            VALUES ('test-ingest', 'old-2', 'conflict', 'recordId', 'r', now(), now());
            """);
        var noClient = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource, """
            INSERT INTO phi.records (record_id, patient_key, name, dob, favorite_color, created_patient, received_at, committed_at)
            SELECT 'new-1', patient_key, 'Old Person', '1970-01-01', NULL, false, now(), now() FROM phi.patients
            """));
        Assert.Equal(PostgresErrorCodes.NotNullViolation, noClient.SqlState);
        var twice = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource, """
            INSERT INTO phi.records (client, record_id, patient_key, name, dob, favorite_color, created_patient, received_at, committed_at)
            SELECT 'test-ingest', 'old-1', patient_key, 'Old Person', '1970-01-01', NULL, false, now(), now() FROM phi.patients
            """));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, twice.SqlState);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
