using Kontakt.Core.Storage.Embedded;
using Npgsql;

namespace Kontakt.Tests.Support;

/// <summary>
/// A hot standby of a <see cref="DedicatedPostgres"/>, made the way an operator makes one: <c>pg_basebackup -R</c>
/// over the primary's replication connection (initdb's pg_hba.conf allows it from 127.0.0.1; the bootstrap
/// superuser has the REPLICATION attribute; <c>wal_level=replica</c> and <c>max_wal_senders</c> are the defaults),
/// then started on a port of its own. As root it runs as the <c>postgres</c> user, like the primary.
/// </summary>
public sealed class StreamingStandby : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly DedicatedPostgres _primary;
    private readonly string _root;
    private readonly int _port;
    private readonly string? _runAs = Environment.IsPrivilegedProcess ? "postgres" : null;

    private StreamingStandby(DedicatedPostgres primary, string root, int port)
    {
        _primary = primary;
        _root = root;
        _port = port;
    }

    private string DataDirectory => Path.Combine(_root, "pgdata");

    private string LogFile => Path.Combine(_root, "postgres.log");

    /// <summary>The superuser's connection string on the standby (unpooled: the standby is stopped and started under it).</summary>
    public string ConnectionString =>
        new NpgsqlConnectionStringBuilder(_primary.ConnectionString) { Port = _port, Pooling = false }.ConnectionString;

    /// <summary>The runtime role on the standby, as <c>ConnectionStrings:KontaktReadOnly</c> names it.</summary>
    public string RuntimeConnectionString =>
        new NpgsqlConnectionStringBuilder(_primary.RuntimeConnectionString) { Port = _port, Timeout = 3 }.ConnectionString;

    public static async Task<StreamingStandby> StartAsync(DedicatedPostgres primary)
    {
        var standby = new StreamingStandby(primary, Path.Combine(Path.GetTempPath(), $"kontakt-standby-{Guid.NewGuid():N}"), FreePorts.Next());
        Directory.CreateDirectory(standby._root);
        if (standby._runAs is not null)
        {
            await standby.RunAsync("chown", [$"{standby._runAs}:", standby._root], runAs: null);
        }
        var source = new NpgsqlConnectionStringBuilder(primary.ConnectionString);
        // libpq conninfo; the password is hex, so needs no quoting.
        var conninfo = $"host={source.Host} port={source.Port} user={source.Username} password={source.Password}";
        await standby.RunAsync(Binary("pg_basebackup"), ["-d", conninfo, "-D", standby.DataDirectory, "-R", "-X", "stream", "-c", "fast"], standby._runAs);
        await standby.StartAgainAsync();
        return standby;
    }

    /// <summary>Starts the (stopped) standby; it resumes streaming from where it stopped.</summary>
    public Task StartAgainAsync() => RunAsync(Binary("pg_ctl"),
        ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "120", "-o", $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1"], _runAs);

    /// <summary>Stops the standby (fast: sessions are ended).</summary>
    public Task StopAsync() => RunAsync(Binary("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], _runAs);

    /// <summary>Stops applying WAL: the standby keeps answering, as of what it had replayed.</summary>
    public async Task PauseReplayAsync()
    {
        await ExecuteAsync(ConnectionString, "SELECT pg_wal_replay_pause()");
        await Eventually.TrueAsync(async () => (string)(await ScalarAsync(ConnectionString, "SELECT pg_get_wal_replay_pause_state()"))! == "paused",
            TimeSpan.FromSeconds(30), "the standby's replay did not pause");
    }

    public Task ResumeReplayAsync() => ExecuteAsync(ConnectionString, "SELECT pg_wal_replay_resume()");

    /// <summary>The stable horizon on the standby: the last commit stamp it has replayed.</summary>
    public async Task<DateTimeOffset> HorizonAsync() => await HorizonOfAsync(ConnectionString);

    /// <summary>The stable horizon on the primary.</summary>
    public async Task<DateTimeOffset> PrimaryHorizonAsync() => await HorizonOfAsync(_primary.ConnectionString);

    /// <summary>Waits until the standby has replayed every batch the primary has committed.</summary>
    public Task CaughtUpAsync() => Eventually.TrueAsync(async () => await HorizonAsync() == await PrimaryHorizonAsync(),
        TimeSpan.FromSeconds(30), "the standby did not catch up with the primary");

    private static async Task<DateTimeOffset> HorizonOfAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT public_store.stable_horizon()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    private static async Task ExecuteAsync(string connectionString, string sql) => await ScalarAsync(connectionString, sql);

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static string Binary(string name) => Path.Combine(PostgresBinaries.Locate(null), name);

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, string? runAs)
    {
        var outcome = await ProcessRunner.RunAsync(program, arguments, runAs, CommandTimeout, CancellationToken.None);
        Assert.True(outcome.ExitCode == 0,
            $"{Path.GetFileName(program)} failed (exit {outcome.ExitCode}): {outcome.Output}\n{(File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "")}");
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessRunner.RunAsync(Binary("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"], _runAs, CommandTimeout, CancellationToken.None);
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
