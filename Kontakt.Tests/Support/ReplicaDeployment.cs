using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kontakt.Tests.Support;

/// <summary>
/// <c>scripts/run-replicas.sh</c> as an operator runs it: N API processes behind haproxy on loopback,
/// here on a test database and the API this test run built.
/// </summary>
public sealed class ReplicaDeployment : IAsyncDisposable
{
    private readonly Process _script;
    private readonly string _runDirectory;
    private readonly StringBuilder _output = new();

    private ReplicaDeployment(Process script, string runDirectory, Uri balancer, Uri statistics, int mllpPort, IReadOnlyDictionary<string, string> keys)
    {
        MllpPort = mllpPort;
        _script = script;
        _runDirectory = runDirectory;
        Balancer = balancer;
        Statistics = statistics;
        Client = new HttpClient(new RoleKeyHandler(keys) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = balancer,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri Balancer { get; }

    /// <summary>The balancer's HL7 v2 (MLLP) port.</summary>
    public int MllpPort { get; }

    /// <summary>haproxy's statistics in CSV.</summary>
    public Uri Statistics { get; }

    /// <summary>A client of the balancer that sends the key of the role each path needs.</summary>
    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ReplicaDeployment> StartAsync(TestDatabase database, int replicas)
    {
        ArgumentNullException.ThrowIfNull(database);
        var runDirectory = Path.Combine(Path.GetTempPath(), $"kontakt-replicas-{Guid.NewGuid():N}");
        var balancerPort = FreePorts.Next();
        var statisticsPort = FreePorts.Next();
        var mllpPort = FreePorts.Next();
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "scripts", "run-replicas.sh"), replicas.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["KONTAKT_API_DLL"] = Path.Combine(AppContext.BaseDirectory, "Kontakt.Api.dll");
        start.Environment["KONTAKT_RUN_DIR"] = runDirectory;
        start.Environment["KONTAKT_LB_PORT"] = balancerPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["KONTAKT_LB_STATS_PORT"] = statisticsPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["KONTAKT_REPLICA_BASE_PORT"] = ConsecutiveFreePorts(replicas).ToString(CultureInfo.InvariantCulture);
        start.Environment["KONTAKT_MLLP_PORT"] = mllpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["KONTAKT_REPLICA_MLLP_BASE_PORT"] = ConsecutiveFreePorts(replicas).ToString(CultureInfo.InvariantCulture);
        start.Environment["ConnectionStrings__Kontakt"] = database.RuntimeConnectionString;
        start.Environment["ConnectionStrings__KontaktMigrations"] = database.ConnectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";

        var script = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var deployment = new ReplicaDeployment(script, runDirectory,
            new Uri($"http://127.0.0.1:{balancerPort}"), new Uri($"http://127.0.0.1:{statisticsPort}/stats;csv"), mllpPort, TestKeys.For(database.ConnectionString));
        script.OutputDataReceived += (_, line) => deployment.Append(line.Data);
        script.ErrorDataReceived += (_, line) => deployment.Append(line.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        try
        {
            await deployment.WaitUntilAllUpAsync(replicas);
        }
        catch
        {
            // Never leave the script, its replicas and the balancer running after a failed start.
            await deployment.DisposeAsync();
            throw;
        }
        return deployment;
    }

    private async Task WaitUntilAllUpAsync(int replicas)
    {
        IReadOnlyDictionary<string, string> states = new Dictionary<string, string>();
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(_script.HasExited, $"run-replicas.sh exited:\n{Output}");
                states = await ServerStatesAsync();
                return states.Count == replicas && states.Values.All(state => state == "UP");
            },
            TimeSpan.FromSeconds(180), // two processes starting at once on a machine busy with parallel test runs
            // Built when the wait fails: haproxy's last view, the script's output and the replicas' logs as they are then.
            () => $"the replicas never all came up behind the balancer (haproxy: {(states.Count == 0 ? "no answer" : string.Join(", ", states.Select(s => $"{s.Key} {s.Value}")))}):\n{Output}\n{ReplicaLogTails()}");
    }

    private string ReplicaLogTails() => string.Join('\n', Directory.Exists(_runDirectory)
        ? Directory.GetFiles(_runDirectory, "*.log").Select(log => $"--- {Path.GetFileName(log)}:\n{string.Join('\n', File.ReadLines(log).TakeLast(15))}")
        : []);

    /// <summary>The process ID of replica <paramref name="replica"/> (1-based), from the script's pid file.</summary>
    public int ReplicaPid(int replica) =>
        int.Parse(File.ReadAllText(Path.Combine(_runDirectory, $"replica-{replica}.pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>haproxy's view of each replica: "UP", "DOWN", "DOWN 1/2" …, by server name (replica-1 …).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ServerStatesAsync()
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        string csv;
        try
        {
            csv = await probe.GetStringAsync(Statistics);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            // No answer, or none within the probe's time-out on a loaded machine: nothing known, not "up".
            return new Dictionary<string, string>();
        }
        var header = csv.Split('\n')[0].TrimStart('#', ' ').Split(',');
        var proxy = Array.IndexOf(header, "pxname");
        var server = Array.IndexOf(header, "svname");
        var status = Array.IndexOf(header, "status");
        return csv.Split('\n').Skip(1)
            .Select(line => line.Split(','))
            .Where(fields => fields.Length > status && fields[proxy] == "replicas" && fields[server].StartsWith("replica-", StringComparison.Ordinal))
            .ToDictionary(fields => fields[server], fields => fields[status]);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_script.HasExited)
        {
            // As an operator's Ctrl-C: the script stops the balancer and lets every replica drain.
            Signals.Send(_script.Id, Signals.Terminate);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await _script.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _script.Kill(entireProcessTree: true);
            }
        }
        foreach (var pidFile in Directory.Exists(_runDirectory) ? Directory.GetFiles(_runDirectory, "*.pid") : [])
        {
            try
            {
                using var left = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture));
                left.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
        _script.Dispose();
        Directory.Delete(_runDirectory, recursive: true);
    }

    private static int ConsecutiveFreePorts(int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var first = FreePorts.Next();
            if (first + count <= 65535 && Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
            Assert.True(attempt < 50, $"no {count} consecutive free ports on loopback");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
