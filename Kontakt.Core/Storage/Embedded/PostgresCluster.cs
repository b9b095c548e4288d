using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kontakt.Core.Storage.Embedded;

/// <summary>
/// A private PostgreSQL cluster run from the machine's PostgreSQL binaries: initdb on first
/// use, started bound to 127.0.0.1 with a random password, stopped by <see cref="StopAsync"/>.
/// PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user.
/// The bootstrap superuser migrates; the service works as the login <see cref="DatabaseRoles.EmbeddedRuntimeRole"/>.
/// Several Kontakt processes may share one cluster: each names its sessions <see cref="ApplicationName"/>.
/// </summary>
public sealed partial class PostgresCluster
{
    private const string SuperUser = "kontakt";
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    // Longer than the slowest holder: initdb plus a start that may replay WAL for pg_ctl's 120 s.
    private static readonly TimeSpan InitLockTimeout = TimeSpan.FromMinutes(5);

    private const string OtherKontaktSessions = """
        SELECT count(*) FROM pg_stat_activity
        WHERE application_name LIKE 'kontakt:%' AND application_name <> @mine
        """;

    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly string? _runAs;
    private bool _mayStop;
    private NpgsqlConnection? _presence;

    /// <summary>Prepares (but does not start) a cluster.</summary>
    public PostgresCluster(EmbeddedPostgresOptions options, ILogger logger)
        : this(options, logger, $"kontakt:{Environment.ProcessId}")
    {
    }

    /// <summary>A cluster whose sessions call themselves <paramref name="applicationName"/>: tests play two processes in one.</summary>
    internal PostgresCluster(EmbeddedPostgresOptions options, ILogger logger, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        _runAs = Environment.IsPrivilegedProcess ? ServiceUser : null;
        Root = Path.GetFullPath(options.DataDirectory ?? DefaultRoot());
        ApplicationName = applicationName;
    }

    /// <summary>The directory holding the cluster's data, log and passwords (mode 0700).</summary>
    public string Root { get; }

    /// <summary>What every session of this process on the cluster calls itself: <c>kontakt:&lt;pid&gt;</c>.</summary>
    public string ApplicationName { get; }

    /// <summary>The cluster's data directory (initdb's), inside <see cref="Root"/>.</summary>
    public string DataDirectory => Path.Combine(Root, "pgdata");

    /// <summary>PostgreSQL's server log (mode 0600).</summary>
    public string LogFile => Path.Combine(Root, "postgres.log");

    /// <summary>The bootstrap superuser's password, kept for operators (mode 0600).</summary>
    public string SuperuserPasswordFile => Path.Combine(Root, "superuser.password");

    /// <summary>The runtime role's password (mode 0600).</summary>
    public string RuntimePasswordFile => Path.Combine(Root, "runtime.password");

    private string SocketDirectory => Path.Combine(Root, "run");

    private string InitLockFile => Path.Combine(Root, "init.lock");

    // The postmaster PID of the server a Kontakt process started: a server running under another
    // PID was started by some other hand (an operator's pg_ctl), and Kontakt leaves it alone.
    private string StartedByKontaktFile => Path.Combine(SocketDirectory, "started-by-kontakt");

    private string? PostmasterPid()
    {
        try
        {
            return File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private bool StartedByKontakt()
    {
        if (!File.Exists(StartedByKontaktFile))
        {
            return false;
        }
        var recorded = File.ReadAllText(StartedByKontaktFile).Trim();
        return recorded.Length > 0 && recorded == PostmasterPid();
    }

    /// <summary>The bootstrap superuser's connection string for <paramref name="database"/>: migrations and operators only.</summary>
    public string ConnectionString(string database) => Connection(SuperUser, SuperuserPasswordFile, database);

    /// <summary>The runtime role's connection string for <paramref name="database"/>: every service session.</summary>
    public string RuntimeConnectionString(string database) => Connection(DatabaseRoles.EmbeddedRuntimeRole, RuntimePasswordFile, database);

    // One-off administrative sessions: closed when done, never left idle in a pool where another
    // process deciding whether to stop the cluster would count them.
    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    // The passwords exist before initdb so the connection strings are known before the cluster starts.
    private string Connection(string user, string passwordFile, string database)
    {
        OwnerOnlyFiles.EnsureDirectory(Root);
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _options.Port,
            Username = user,
            Password = OwnerOnlyFiles.EnsureSecret(passwordFile),
            Database = database,
            ApplicationName = ApplicationName,
        }.ConnectionString;
    }

    /// <summary>
    /// Initializes the cluster if it is new, starts it unless it already runs, and creates or
    /// refreshes the runtime role. Processes sharing the data directory take turns (<c>init.lock</c>).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bin = PostgresBinaries.Locate(_options.BinDirectory);
        await PrepareDirectoriesAsync(cancellationToken);
        await using var initLock = await InitLock.AcquireAsync(InitLockFile, InitLockTimeout, cancellationToken);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(bin, cancellationToken);
        }
        else if (!File.Exists(Path.Combine(DataDirectory, "global", "pg_control")))
        {
            // An initdb killed half-way by an earlier version: it never held data. Kept aside, not deleted.
            var aside = $"{DataDirectory}.interrupted-{DateTime.UtcNow:yyyyMMddHHmmss}";
            Directory.Move(DataDirectory, aside);
            LogInterruptedInitialization(_logger, aside);
            await InitializeAsync(bin, cancellationToken);
        }

        var status = await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"), ["status", "-D", DataDirectory], _runAs, CommandTimeout, cancellationToken);
        if (status.ExitCode == 0)
        {
            _mayStop = StartedByKontakt();
            if (_mayStop)
            {
                LogJoined(_logger, DataDirectory);
            }
            else
            {
                LogAdopted(_logger, DataDirectory);
            }
        }
        else
        {
            await PrepareLogAsync(cancellationToken);
            // Terse: a unique violation's "DETAIL: Failing row contains (...)" would carry a name into the log.
            // log_file_mode only applies with logging_collector on; with it off the -l file made above decides.
            var serverOptions = $"-p {_options.Port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c log_error_verbosity=terse -c log_file_mode=0600";
            var start = await ProcessRunner.RunAsync(
                Path.Combine(bin, "pg_ctl"),
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "120", "-o", serverOptions],
                _runAs, CommandTimeout, cancellationToken);
            if (start.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"The embedded PostgreSQL did not start (pg_ctl exit {start.ExitCode}). {start.Output.Trim()} Last lines of {LogFile}:\n{LogTail()}");
            }
            await File.WriteAllTextAsync(StartedByKontaktFile, PostmasterPid() ?? "", cancellationToken);
            _mayStop = true;
            LogStarted(_logger, _options.Port, DataDirectory);
        }

        await using (var admin = new NpgsqlConnection(Unpooled(ConnectionString("postgres"))))
        {
            await admin.OpenAsync(cancellationToken);
            await DatabaseRoles.CreateOrRefreshLoginAsync(admin, DatabaseRoles.EmbeddedRuntimeRole, OwnerOnlyFiles.EnsureSecret(RuntimePasswordFile), cancellationToken);
        }
        // One session held for the process's lifetime: however idle its pools, another process deciding
        // whether to stop the cluster sees this one is still here.
        _presence = new NpgsqlConnection(Unpooled(ConnectionString("postgres")));
        await _presence.OpenAsync(cancellationToken);
    }

    /// <summary>Creates <paramref name="database"/> if it does not exist.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Unpooled(ConnectionString("postgres")));
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
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process sharing the cluster created it in the meantime.
        }
    }

    /// <summary>
    /// Stops the cluster (fast shutdown: clients are disconnected, data is kept) unless another
    /// Kontakt process (<c>kontakt:&lt;pid&gt;</c> sessions) still uses it: the last Kontakt
    /// process to stop stops it. A cluster some other hand started is never stopped.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_presence is { } presence)
        {
            _presence = null;
            await presence.DisposeAsync();
        }
        if (!_mayStop)
        {
            return;
        }
        _mayStop = false;
        // Taken so that no process adopts the cluster between the count below and the stop.
        await using var initLock = await InitLock.AcquireAsync(InitLockFile, InitLockTimeout, cancellationToken);
        var others = await OtherKontaktSessionsAsync(cancellationToken);
        if (others > 0)
        {
            LogLeftRunning(_logger, DataDirectory, others);
            return;
        }
        var bin = PostgresBinaries.Locate(_options.BinDirectory);
        var stop = await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], _runAs, CommandTimeout, cancellationToken);
        if (stop.ExitCode != 0)
        {
            LogStopFailed(_logger, stop.ExitCode, stop.Output.Trim());
            return;
        }
        LogStopped(_logger, DataDirectory);
    }

    private async Task<long> OtherKontaktSessionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Unpooled(ConnectionString("postgres")));
            await connection.OpenAsync(cancellationToken);
            await using var count = new NpgsqlCommand(OtherKontaktSessions, connection);
            count.Parameters.AddWithValue("mine", ApplicationName);
            return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (NpgsqlException)
        {
            // Not answering: nobody can be using it; pg_ctl stop finds out what state it is in.
            return 0;
        }
    }

    private static string DefaultRoot() => Environment.IsPrivilegedProcess
        ? "/var/lib/kontakt"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "kontakt");

    // The root holds secrets and the server log: 0700, and as root owned by the service user,
    // who must reach pgdata and the socket directory inside it (root reaches everything anyway).
    private async Task PrepareDirectoriesAsync(CancellationToken cancellationToken)
    {
        OwnerOnlyFiles.EnsureDirectory(Root);
        OwnerOnlyFiles.EnsureDirectory(SocketDirectory);
        await HandOverAsync([Root, SocketDirectory], cancellationToken);
    }

    // pg_ctl -l creates a missing log with the shell's umask (0644): it exists, 0600, before pg_ctl writes to it.
    private async Task PrepareLogAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(LogFile))
        {
            try
            {
                await using var created = OwnerOnlyFiles.CreateNew(LogFile);
            }
            catch (IOException) when (File.Exists(LogFile))
            {
            }
        }
        else if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(LogFile) != OwnerOnlyFiles.FileMode)
        {
            // A log written by an earlier version, readable by others.
            File.SetUnixFileMode(LogFile, OwnerOnlyFiles.FileMode);
        }
        await HandOverAsync([LogFile], cancellationToken);
    }

    /// <summary>
    /// initdb into a directory of its own, moved into place only when complete: a process killed
    /// during initialization leaves no half-made cluster where the next start would look for one.
    /// </summary>
    private async Task InitializeAsync(string bin, CancellationToken cancellationToken)
    {
        foreach (var leftover in Directory.EnumerateDirectories(Root, "pgdata.initializing-*"))
        {
            Directory.Delete(leftover, recursive: true);
        }
        if (Directory.Exists(DataDirectory) && !Directory.EnumerateFileSystemEntries(DataDirectory).Any())
        {
            Directory.Delete(DataDirectory);
        }
        var initializing = $"{DataDirectory}.initializing-{Guid.NewGuid():N}";
        OwnerOnlyFiles.EnsureDirectory(initializing);
        var password = OwnerOnlyFiles.EnsureSecret(SuperuserPasswordFile);
        var passwordForInitdb = Path.Combine(SocketDirectory, $"initdb-{Guid.NewGuid():N}.pw");
        OwnerOnlyFiles.WriteNew(passwordForInitdb, password + "\n");
        try
        {
            await HandOverAsync([initializing, passwordForInitdb], cancellationToken);
            var init = await ProcessRunner.RunAsync(
                Path.Combine(bin, "initdb"),
                ["-D", initializing, "-U", SuperUser, "--pwfile", passwordForInitdb, "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C"],
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

        await AppendSettingsAsync(initializing, cancellationToken);
        Directory.Move(initializing, DataDirectory);
        LogInitialized(_logger, DataDirectory);
    }

    private async Task AppendSettingsAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var settings = new List<string>
        {
            "",
            "# Kontakt embedded defaults",
            $"shared_buffers = '{_options.SharedBuffers ?? EmbeddedPostgresOptions.DefaultSharedBuffers(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)}'",
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
        var configuration = Path.Combine(dataDirectory, "postgresql.conf");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cluster whose initialization was interrupted was moved to {Aside}; initializing a new one")]
    private static partial void LogInterruptedInitialization(ILogger logger, string aside);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL listening on 127.0.0.1:{Port} (data in {DataDirectory})")]
    private static partial void LogStarted(ILogger logger, int port, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL in {DataDirectory} was started by another Kontakt process; sharing it (the last Kontakt process to stop stops it)")]
    private static partial void LogJoined(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL in {DataDirectory} was already running, not started by Kontakt; using it and leaving it running")]
    private static partial void LogAdopted(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL in {DataDirectory} left running: {Sessions} sessions of other Kontakt processes use it")]
    private static partial void LogLeftRunning(ILogger logger, string dataDirectory, long sessions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL in {DataDirectory} stopped")]
    private static partial void LogStopped(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded PostgreSQL did not stop cleanly (pg_ctl exit {ExitCode}): {Output}")]
    private static partial void LogStopFailed(ILogger logger, int exitCode, string output);
}
