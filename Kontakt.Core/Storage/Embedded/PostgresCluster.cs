using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kontakt.Core.Storage.Embedded;

/// <summary>
/// A private PostgreSQL cluster run from the machine's PostgreSQL binaries: initdb on first
/// use, started bound to 127.0.0.1 with a random password, stopped by <see cref="StopAsync"/>.
/// PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user.
/// </summary>
public sealed partial class PostgresCluster
{
    private const string SuperUser = "kontakt";
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly string? _runAs;
    private bool _startedByUs;

    /// <summary>Prepares (but does not start) a cluster.</summary>
    public PostgresCluster(EmbeddedPostgresOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _runAs = Environment.IsPrivilegedProcess ? ServiceUser : null;
        Root = Path.GetFullPath(options.DataDirectory ?? DefaultRoot());
    }

    /// <summary>The directory holding the cluster's data, log and password.</summary>
    public string Root { get; }

    private string DataDirectory => Path.Combine(Root, "pgdata");

    private string SocketDirectory => Path.Combine(Root, "run");

    private string LogFile => Path.Combine(Root, "postgres.log");

    private string PasswordFile => Path.Combine(Root, "superuser.password");

    /// <summary>Connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _options.Port,
        Username = SuperUser,
        Password = EnsurePassword(),
        Database = database,
    }.ConnectionString;

    /// <summary>Initializes the cluster if it is new, then starts it unless it already runs.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bin = PostgresBinaries.Locate(_options.BinDirectory);
        PrepareDirectories();
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(bin, cancellationToken);
        }

        var status = await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"), ["status", "-D", DataDirectory], _runAs, CommandTimeout, cancellationToken);
        if (status.ExitCode == 0)
        {
            LogAdopted(_logger, DataDirectory);
            return;
        }

        var serverOptions = $"-p {_options.Port} -k {SocketDirectory} -c listen_addresses=127.0.0.1";
        var start = await ProcessRunner.RunAsync(
            Path.Combine(bin, "pg_ctl"),
            ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "120", "-o", serverOptions],
            _runAs, CommandTimeout, cancellationToken);
        if (start.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The embedded PostgreSQL did not start (pg_ctl exit {start.ExitCode}). {start.Output.Trim()} Last lines of {LogFile}:\n{LogTail()}");
        }
        _startedByUs = true;
        LogStarted(_logger, _options.Port, DataDirectory);
    }

    /// <summary>Creates <paramref name="database"/> if it does not exist.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }
        // CREATE DATABASE takes no parameters: quote the identifier with the server's own function.
        await using var quote = new NpgsqlCommand("SELECT quote_ident(@name)", connection);
        quote.Parameters.AddWithValue("name", database);
        var quoted = (string)(await quote.ExecuteScalarAsync(cancellationToken))!;
        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops the cluster if this process started it (fast shutdown: clients are disconnected, data is kept).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_startedByUs)
        {
            return;
        }
        var bin = PostgresBinaries.Locate(_options.BinDirectory);
        var stop = await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], _runAs, CommandTimeout, cancellationToken);
        _startedByUs = false;
        if (stop.ExitCode != 0)
        {
            LogStopFailed(_logger, stop.ExitCode, stop.Output.Trim());
            return;
        }
        LogStopped(_logger, DataDirectory);
    }

    /// <summary>
    /// The superuser's password: random, made once, readable only by the user running Kontakt.
    /// It exists before initdb so the connection string is known before the cluster starts.
    /// </summary>
    private string EnsurePassword()
    {
        if (File.Exists(PasswordFile))
        {
            return File.ReadAllText(PasswordFile).Trim();
        }
        Directory.CreateDirectory(Root);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(PasswordFile, password);
        SetMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return password;
    }

    private static string DefaultRoot() => Environment.IsPrivilegedProcess
        ? "/var/lib/kontakt"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "kontakt");

    private void PrepareDirectories()
    {
        Directory.CreateDirectory(Root);
        SetMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(SocketDirectory);
        if (!File.Exists(LogFile))
        {
            File.WriteAllText(LogFile, "");
        }
    }

    private async Task InitializeAsync(string bin, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        var password = EnsurePassword();
        var passwordForInitdb = Path.Combine(SocketDirectory, "initdb.pw");
        await File.WriteAllTextAsync(passwordForInitdb, password + "\n", cancellationToken);
        SetMode(passwordForInitdb, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            await HandOverAsync([DataDirectory, SocketDirectory, LogFile, passwordForInitdb], cancellationToken);
            var init = await ProcessRunner.RunAsync(
                Path.Combine(bin, "initdb"),
                ["-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordForInitdb, "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C"],
                _runAs, CommandTimeout, cancellationToken);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed (exit {init.ExitCode}): {init.Output.Trim()}");
            }
        }
        finally
        {
            File.Delete(passwordForInitdb);
        }

        await AppendSettingsAsync(cancellationToken);
        LogInitialized(_logger, DataDirectory);
    }

    private async Task AppendSettingsAsync(CancellationToken cancellationToken)
    {
        var settings = new List<string>
        {
            "",
            "# Kontakt embedded defaults",
            $"shared_buffers = '{_options.SharedBuffers}'",
            "max_connections = 200",
            "max_wal_size = '4GB'",
            "checkpoint_timeout = '15min'",
            "wal_buffers = '16MB'",
            "logging_collector = off",
        };
        if (!_options.Durable)
        {
            settings.AddRange(["fsync = off", "synchronous_commit = off", "full_page_writes = off"]);
        }
        // postgresql.conf belongs to the service user; appending as root keeps its owner.
        var configuration = Path.Combine(DataDirectory, "postgresql.conf");
        await File.AppendAllTextAsync(configuration, string.Join('\n', settings) + "\n", cancellationToken);
    }

    private async Task HandOverAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        if (_runAs is null)
        {
            return;
        }
        var arguments = new List<string> { $"{_runAs}:" };
        arguments.AddRange(paths);
        var chown = await ProcessRunner.RunAsync("chown", arguments, runAsUser: null, CommandTimeout, cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not hand the cluster directories to user '{_runAs}': {chown.Output.Trim()}");
        }
    }

    // Windows has no Unix modes and no runuser; the embedded cluster targets Linux and macOS.
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private string LogTail()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 15)));
        }
        catch (IOException)
        {
            return "(log not readable)";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Initialized embedded PostgreSQL cluster in {DataDirectory}")]
    private static partial void LogInitialized(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL listening on 127.0.0.1:{Port} (data in {DataDirectory})")]
    private static partial void LogStarted(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL in {DataDirectory} was already running; using it and leaving it running")]
    private static partial void LogAdopted(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL in {DataDirectory} stopped")]
    private static partial void LogStopped(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded PostgreSQL did not stop cleanly (pg_ctl exit {ExitCode}): {Output}")]
    private static partial void LogStopFailed(ILogger logger, int exitCode, string output);
}
