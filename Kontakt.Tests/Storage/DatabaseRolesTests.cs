using Kontakt.Core.Storage;
using Kontakt.Tests.Support;
using Npgsql;

namespace Kontakt.Tests.Storage;

public sealed class DatabaseRolesTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly string[] TablePrivilegeWords = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];

    private string RuntimeRole => new NpgsqlConnectionStringBuilder(database.RuntimeConnectionString).Username!;

    [Fact]
    public async Task Every_table_of_the_service_schemas_has_a_privilege_entry()
    {
        var tables = await database.ListAsync(
            "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname = ANY(@schemas) ORDER BY 1",
            r => r.GetString(0),
            ("schemas", DatabaseRoles.RuntimeSchemas.ToArray()));
        var listed = DatabaseRoles.RuntimeTables.Select(t => $"{t.Schema}.{t.Table}").Order(StringComparer.Ordinal);

        Assert.NotEmpty(tables);
        Assert.Equal(tables, listed);
    }

    [Fact]
    public async Task The_runtime_role_holds_exactly_the_listed_table_privileges()
    {
        foreach (var entry in DatabaseRoles.RuntimeTables)
        {
            var granted = new List<string>();
            foreach (var word in TablePrivilegeWords)
            {
                if (await database.ScalarAsync<bool>(
                        "SELECT has_table_privilege(@role, format('%I.%I', @schema, @table), @privilege)",
                        ("role", RuntimeRole), ("schema", entry.Schema), ("table", entry.Table), ("privilege", word)))
                {
                    granted.Add(word);
                }
            }
            Assert.True(entry.Keywords().SequenceEqual(granted), $"{entry.Schema}.{entry.Table}: granted {string.Join(',', granted)}");
        }
    }

    [Fact]
    public async Task Granting_again_changes_nothing_and_takes_back_what_is_not_listed()
    {
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await using var setRole = new NpgsqlCommand("SELECT set_config('kontakt.test_role', @role, false)", connection);
            setRole.Parameters.AddWithValue("role", RuntimeRole);
            await setRole.ExecuteNonQueryAsync();
            await using var grant = new NpgsqlCommand(
                "DO $$ BEGIN EXECUTE format('GRANT UPDATE, DELETE ON phi.records TO %I', current_setting('kontakt.test_role')); END $$", connection);
            await grant.ExecuteNonQueryAsync();
        }
        Assert.True(await HasPrivilegeAsync("phi.records", "UPDATE"));

        await DatabaseRoles.GrantRuntimeAsync(database.DataSource, RuntimeRole, CancellationToken.None);
        await DatabaseRoles.GrantRuntimeAsync(database.DataSource, RuntimeRole, CancellationToken.None);

        Assert.False(await HasPrivilegeAsync("phi.records", "UPDATE"));
        Assert.False(await HasPrivilegeAsync("phi.records", "DELETE"));
        Assert.True(await HasPrivilegeAsync("phi.records", "INSERT"));
    }

    [Fact]
    public async Task Granting_on_a_database_not_migrated_yet_grants_what_exists()
    {
        var empty = $"kontakt_empty_{Guid.NewGuid():N}";
        // The name is made here from a GUID; CREATE DATABASE takes no parameters.
        await ExecuteAsOwnerAsync($"CREATE DATABASE {empty}");
        var emptyConnection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = empty }.ConnectionString;
        await using (var owner = NpgsqlDataSource.Create(emptyConnection))
        {
            await DatabaseRoles.GrantRuntimeAsync(owner, RuntimeRole, CancellationToken.None);
        }
        // Granted explicitly (PUBLIC's default TEMPORARY would not show here).
        Assert.True(await database.ScalarAsync<bool>(
            """
            SELECT EXISTS (SELECT 1 FROM pg_database d, aclexplode(d.datacl) a
                           WHERE d.datname = @database AND a.grantee = to_regrole(@role) AND a.privilege_type = 'TEMPORARY')
            """,
            ("role", RuntimeRole), ("database", empty)));
    }

    [Fact]
    public async Task The_runtime_role_is_no_superuser_and_cannot_change_the_schema()
    {
        Assert.False(await database.ScalarAsync<bool>("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = @role", ("role", RuntimeRole)));
        await using var runtime = NpgsqlDataSource.Create(database.RuntimeConnectionString);
        Assert.False(await DatabaseRoles.IsSuperuserAsync(runtime, CancellationToken.None));

        foreach (var ddl in new[]
        {
            "CREATE TABLE public.planted (id int)",
            "CREATE TABLE public_store.planted (id int)",
            "CREATE TABLE phi.planted (id int)",
            "ALTER TABLE phi.records ADD COLUMN planted int",
            "DROP TABLE security.access_events",
            "TRUNCATE public_store.patients",
        })
        {
            await AssertRefusedAsync(runtime, ddl);
        }
    }

    [Fact]
    public async Task The_runtime_role_cannot_change_or_remove_audit_rows_or_access_events()
    {
        await using var runtime = NpgsqlDataSource.Create(database.RuntimeConnectionString);
        foreach (var dml in new[]
        {
            "UPDATE security.access_events SET outcome = 'changed'",
            "DELETE FROM security.access_events",
            "UPDATE phi.records SET name = 'changed'",
            "DELETE FROM phi.records",
        })
        {
            await AssertRefusedAsync(runtime, dml);
        }
        // What it may do, it can: append an access event and read it back.
        await using var insert = runtime.CreateCommand("""
            INSERT INTO security.access_events (occurred_at, actor, action, patient_ids, outcome)
            VALUES (now(), 'roles-test', 'read', '{}', 'allowed') RETURNING event_id
            """);
        var eventId = await insert.ExecuteScalarAsync();
        await using var read = runtime.CreateCommand("SELECT count(*) FROM security.access_events WHERE event_id = @id");
        read.Parameters.AddWithValue("id", eventId!);
        Assert.Equal(1L, await read.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_analyst_role_reads_public_store_only_including_tables_made_later()
    {
        Assert.True(await DatabaseRoles.GrantAnalystAsync(database.DataSource, CancellationToken.None));
        Assert.False(await database.ScalarAsync<bool>("SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = @role", ("role", DatabaseRoles.AnalystRole)));
        await ExecuteAsOwnerAsync("CREATE TABLE public_store.made_later (id int); INSERT INTO public_store.made_later VALUES (1)");
        try
        {
            Assert.Equal(0L, await CountAsAnalystAsync("public_store.patients"));
            Assert.Equal(1L, await CountAsAnalystAsync("public_store.made_later"));
            Assert.True(await CountAsAnalystAsync("public_store.commit_log") >= 1);
            foreach (var table in new[] { "phi.patients", "phi.records", "security.api_keys", "security.access_events" })
            {
                var error = await Assert.ThrowsAsync<PostgresException>(() => CountAsAnalystAsync(table));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            }
            var write = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsAnalystAsync("INSERT INTO public_store.commit_log VALUES (now())"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, write.SqlState);
        }
        finally
        {
            await ExecuteAsOwnerAsync("DROP TABLE public_store.made_later");
        }
    }

    private async Task<bool> HasPrivilegeAsync(string table, string privilege) =>
        await database.ScalarAsync<bool>("SELECT has_table_privilege(@role, @table, @privilege)", ("role", RuntimeRole), ("table", table), ("privilege", privilege));

    private static async Task AssertRefusedAsync(NpgsqlDataSource runtime, string sql)
    {
        await using var command = runtime.CreateCommand(sql);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
    }

    private async Task ExecuteAsOwnerAsync(string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // The analyst role has no login: the owner (a superuser here) takes it on for one transaction.
    private async Task<long> CountAsAnalystAsync(string table)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var become = new NpgsqlCommand($"SET LOCAL ROLE {DatabaseRoles.AnalystRole}", connection, transaction);
        await become.ExecuteNonQueryAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection, transaction);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsAnalystAsync(string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var become = new NpgsqlCommand($"SET LOCAL ROLE {DatabaseRoles.AnalystRole}", connection, transaction);
        await become.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
