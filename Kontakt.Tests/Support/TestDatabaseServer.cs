using System.Net;
using System.Net.Sockets;
using Kontakt.Core.Storage;
using Kontakt.Core.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kontakt.Tests.Support;

/// <summary>
/// The PostgreSQL server all tests share: <c>KONTAKT_TEST_DB</c> when set, otherwise a
/// throwaway cluster started once per test run through the same launcher the service uses.
/// Each test class gets a database of its own, and a runtime login role of its own granted what
/// <see cref="DatabaseRoles"/> lists, which the API under test works as.
/// </summary>
public static class TestDatabaseServer
{
    private static readonly Lazy<Task<Server>> Shared = new(StartAsync);

    // One password for every runtime role of this test run: made here, never from input.
    private static readonly string RuntimePassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The connection string of the runtime role made for the database of <paramref name="databaseConnectionString"/>
    /// (one from <see cref="CreateDatabaseAsync"/>).
    /// </summary>
    public static string RuntimeConnectionString(string databaseConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(databaseConnectionString);
        builder.Username = RuntimeRoleOf(builder.Database!);
        builder.Password = RuntimePassword;
        return builder.ConnectionString;
    }

    private static string RuntimeRoleOf(string database) => database + "_app";

    /// <summary>
    /// Creates an empty, migrated database, its runtime role and one API key per role (<see cref="TestKeys"/>),
    /// and returns the owner's connection string.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await Shared.Value;
        var name = $"kontakt_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server.AdminConnectionString))
        {
            await admin.OpenAsync();
            // The name is made here from a GUID, never from input; CREATE DATABASE takes no parameters.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
            await DatabaseRoles.CreateOrRefreshLoginAsync(admin, RuntimeRoleOf(name), RuntimePassword, CancellationToken.None);
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await SchemaMigrator.MigrateAsync(dataSource, CancellationToken.None);
        await DatabaseRoles.GrantRuntimeAsync(dataSource, RuntimeRoleOf(name), CancellationToken.None);
        await TestKeys.CreateAsync(dataSource, connectionString);
        return connectionString;
    }

    private sealed record Server(string AdminConnectionString);

    private static async Task<Server> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("KONTAKT_TEST_DB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new Server(configured);
        }

        RemoveClustersOfFinishedRuns();
        var root = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        var cluster = new PostgresCluster(
            new EmbeddedPostgresOptions { DataDirectory = root, Port = FreePort(), Durable = false, SharedBuffers = "256MB" },
            NullLogger.Instance);
        await cluster.StartAsync(CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return new Server(cluster.ConnectionString("postgres"));
    }

    private const string DirectoryPrefix = "kontakt-tests-";

    // The test host may exit before its exit handler has deleted the cluster; sweep up after runs whose process is gone.
    private static void RemoveClustersOfFinishedRuns()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var pidText = Path.GetFileName(directory)[DirectoryPrefix.Length..].Split('-')[0];
            if (!int.TryParse(pidText, out var pid) || IsRunning(pid))
            {
                continue;
            }
            // The test host can be ended before its exit handler stops the cluster: stop what a finished run left running.
            if (File.Exists(Path.Combine(directory, "pgdata", "postmaster.pid")))
            {
                StopLeftOverCluster(Path.Combine(directory, "pgdata"));
            }
            if (!File.Exists(Path.Combine(directory, "pgdata", "postmaster.pid")))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static void StopLeftOverCluster(string dataDirectory)
    {
        var pgCtl = Path.Combine(PostgresBinaries.Locate(null), "pg_ctl");
        var start = Environment.IsPrivilegedProcess
            ? new System.Diagnostics.ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", pgCtl } }
            : new System.Diagnostics.ProcessStartInfo(pgCtl);
        foreach (var argument in new[] { "stop", "-D", dataDirectory, "-m", "immediate", "-w", "-t", "30" })
        {
            start.ArgumentList.Add(argument);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var stop = System.Diagnostics.Process.Start(start);
        stop?.StandardOutput.ReadToEnd();
        stop?.WaitForExit();
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
