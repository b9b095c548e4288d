using System.Runtime.Versioning;
using Kontakt.Core.Storage;
using Kontakt.Core.Storage.Embedded;
using Kontakt.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kontakt.Tests.Storage;

/// <summary>An embedded cluster of this class's own, started, with the service's database migrated and granted.</summary>
public sealed class EmbeddedClusterFixture : IAsyncLifetime
{
    public const string Database = "kontakt";

    public EmbeddedPostgresOptions Options { get; } = ThrowawayCluster.NewOptions();

    public PostgresCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = new PostgresCluster(Options, NullLogger.Instance);
        await Cluster.StartAsync(CancellationToken.None);
        await Cluster.EnsureDatabaseAsync(Database, CancellationToken.None);
        await using var owner = NpgsqlDataSource.Create(Cluster.ConnectionString(Database));
        await SchemaMigrator.MigrateAsync(owner, CancellationToken.None);
        await DatabaseRoles.GrantRuntimeAsync(owner, DatabaseRoles.EmbeddedRuntimeRole, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Cluster.StopAsync(CancellationToken.None);
        ThrowawayCluster.Remove(Options);
    }
}

// The embedded cluster targets Linux and macOS: file modes are Unix ones.
[UnsupportedOSPlatform("windows")]
public sealed class EmbeddedClusterTests(EmbeddedClusterFixture fixture) : IClassFixture<EmbeddedClusterFixture>
{
    private PostgresCluster Cluster => fixture.Cluster;

    [Fact]
    public void The_data_root_and_the_cluster_are_owner_only_directories()
    {
        Assert.Equal(OwnerOnlyFiles.DirectoryMode, File.GetUnixFileMode(Cluster.Root));
        Assert.Equal(OwnerOnlyFiles.DirectoryMode, File.GetUnixFileMode(Cluster.DataDirectory));
    }

    [Fact]
    public void Passwords_the_lock_and_the_server_log_are_readable_by_their_owner_only()
    {
        foreach (var file in new[] { Cluster.SuperuserPasswordFile, Cluster.RuntimePasswordFile, Cluster.LogFile, Path.Combine(Cluster.Root, "init.lock") })
        {
            Assert.True(File.Exists(file), file);
            Assert.True(File.GetUnixFileMode(file) == OwnerOnlyFiles.FileMode, $"{Path.GetFileName(file)}: {File.GetUnixFileMode(file)}");
        }
    }

    [Fact]
    public async Task As_root_the_data_root_and_the_log_belong_to_the_service_user()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }
        var stat = await ProcessRunner.RunAsync("stat", ["-c", "%U", Cluster.Root, Cluster.LogFile], runAsUser: null, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(["postgres", "postgres"], stat.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_new_secret_file_is_owner_only_and_an_existing_one_is_kept()
    {
        var path = Path.Combine(Cluster.Root, $"test-{Guid.NewGuid():N}.secret");
        try
        {
            var first = OwnerOnlyFiles.EnsureSecret(path);
            Assert.Equal(OwnerOnlyFiles.FileMode, File.GetUnixFileMode(path));
            Assert.Equal(first, OwnerOnlyFiles.EnsureSecret(path));
            Assert.Throws<IOException>(() => OwnerOnlyFiles.WriteNew(path, "other"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_service_works_as_a_runtime_role_with_its_own_password_and_no_superuser_rights()
    {
        var runtime = new NpgsqlConnectionStringBuilder(Cluster.RuntimeConnectionString(EmbeddedClusterFixture.Database));
        var owner = new NpgsqlConnectionStringBuilder(Cluster.ConnectionString(EmbeddedClusterFixture.Database));
        Assert.Equal(DatabaseRoles.EmbeddedRuntimeRole, runtime.Username);
        Assert.NotEqual(owner.Password, runtime.Password);
        Assert.Equal(File.ReadAllText(Cluster.RuntimePasswordFile).Trim(), runtime.Password);

        await using var dataSource = NpgsqlDataSource.Create(runtime.ConnectionString);
        await using (var who = dataSource.CreateCommand("SELECT current_user::text, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"))
        await using (var reader = await who.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(DatabaseRoles.EmbeddedRuntimeRole, reader.GetString(0));
            Assert.False(reader.GetBoolean(1) || reader.GetBoolean(2) || reader.GetBoolean(3));
        }

        foreach (var sql in new[]
        {
            "CREATE TABLE public.planted (id int)",
            "CREATE TABLE security.planted (id int)",
            "UPDATE security.access_events SET outcome = 'changed'",
            "DELETE FROM security.access_events",
            "UPDATE phi.records SET name = 'changed'",
            "DELETE FROM phi.records",
        })
        {
            await using var command = dataSource.CreateCommand(sql);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState}");
        }
    }

    [Fact]
    public async Task A_second_start_keeps_the_runtime_password_working()
    {
        var again = new PostgresCluster(fixture.Options, NullLogger.Instance, "kontakt:test-again");
        await again.StartAsync(CancellationToken.None);
        await again.StopAsync(CancellationToken.None);

        await using var connection = new NpgsqlConnection(Cluster.RuntimeConnectionString(EmbeddedClusterFixture.Database));
        await connection.OpenAsync();
    }

    [Fact]
    public async Task The_server_log_keeps_no_value_of_a_row_that_failed_a_unique_index()
    {
        var marker = $"Marker Surname {Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString(EmbeddedClusterFixture.Database));
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE people (name text UNIQUE)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO people (name) VALUES (@name)", connection);
            insert.Parameters.AddWithValue("name", marker);
            if (attempt == 1)
            {
                await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());
            }
            else
            {
                await insert.ExecuteNonQueryAsync();
            }
        }

        var log = "";
        await Eventually.TrueAsync(() => (log = ReadShared(Cluster.LogFile)).Contains("people_name_key", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "The unique violation never reached the server log.");
        Assert.DoesNotContain(marker, log, StringComparison.Ordinal);
        Assert.DoesNotContain("Failing row contains", log, StringComparison.Ordinal);
        Assert.DoesNotContain("DETAIL:", log, StringComparison.Ordinal);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
