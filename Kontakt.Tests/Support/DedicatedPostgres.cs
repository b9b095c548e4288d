using System.Diagnostics;
using Kontakt.Core.Storage;
using Kontakt.Core.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kontakt.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of a test's own, durable like a production one, for faults that would
/// disturb every other test on the shared server: an immediate (crash) restart.
/// </summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    private const string Database = "kontakt";
    private readonly PostgresCluster _cluster;
    private readonly string _root;

    private DedicatedPostgres(PostgresCluster cluster, string root)
    {
        _cluster = cluster;
        _root = root;
    }

    /// <summary>The owner's (superuser's) connection string.</summary>
    public string ConnectionString => _cluster.ConnectionString(Database);

    /// <summary>The server's own log (what PostgreSQL writes about errors, connections, recovery).</summary>
    public string ServerLogPath => _cluster.LogFile;

    /// <summary>The cluster's runtime role, as the service uses it.</summary>
    public string RuntimeConnectionString => _cluster.RuntimeConnectionString(Database);

    /// <summary>One API key per role (<see cref="TestKeys"/>).</summary>
    public IReadOnlyDictionary<string, string> Keys => TestKeys.For(ConnectionString);

    public static async Task<DedicatedPostgres> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"kontakt-fault-{Guid.NewGuid():N}");
        var cluster = new PostgresCluster(
            new EmbeddedPostgresOptions { DataDirectory = root, Port = FreePorts.Next(), Durable = true, SharedBuffers = "128MB" },
            NullLogger.Instance);
        await cluster.StartAsync(CancellationToken.None);
        await cluster.EnsureDatabaseAsync(Database, CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(cluster.ConnectionString(Database));
        await SchemaMigrator.MigrateAsync(dataSource, CancellationToken.None);
        await TestKeys.CreateAsync(dataSource, cluster.ConnectionString(Database));
        return new DedicatedPostgres(cluster, root);
    }

    /// <summary>
    /// <c>pg_ctl restart -m immediate</c>: every backend dies without a checkpoint, and the server
    /// recovers from its WAL, as after a crash.
    /// </summary>
    public async Task RestartImmediatelyAsync()
    {
        var pgCtl = Path.Combine(PostgresBinaries.Locate(null), "pg_ctl");
        string[] arguments = ["restart", "-m", "immediate", "-w", "-t", "120", "-D", Path.Combine(_root, "pgdata"), "-l", ServerLogPath];
        var start = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", pgCtl } }
            : new ProcessStartInfo(pgCtl);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The restarted server writes to the log file, never to a pipe of ours that would stay open.
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_ctl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_ctl restart failed: {await output} {await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAsync(CancellationToken.None);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
