using System.Diagnostics;
using System.Net;
using System.Text;

namespace Kontakt.Tests.Support;

/// <summary>
/// The real service as its own operating-system process (<c>dotnet Kontakt.Api.dll</c>), for the faults
/// an in-process test host cannot suffer: kill -9, SIGTERM, SIGSTOP.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, Uri baseAddress, IReadOnlyDictionary<string, string> keys)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient(new RoleKeyHandler(keys) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri BaseAddress { get; }

    /// <summary>A client that sends the key of the role each path needs (<see cref="RoleKeyHandler"/>).</summary>
    public HttpClient Client { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
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

    /// <summary>The service on a test database: migrating as its owner, working as its runtime role, with its test keys.</summary>
    public static Task<ApiProcess> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return StartAsync(database.RuntimeConnectionString, database.ConnectionString, TestKeys.For(database.ConnectionString), settings);
    }

    /// <summary>The service on a cluster of the test's own.</summary>
    public static Task<ApiProcess> StartAsync(DedicatedPostgres postgres, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        return StartAsync(postgres.RuntimeConnectionString, postgres.ConnectionString, postgres.Keys, settings);
    }

    /// <summary>The service on a test database, started but not waited for: for tests of a start that fails.</summary>
    public static ApiProcess Launch(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return Launch(database.RuntimeConnectionString, database.ConnectionString, TestKeys.For(database.ConnectionString), settings);
    }

    private static async Task<ApiProcess> StartAsync(
        string runtimeConnectionString, string ownerConnectionString, IReadOnlyDictionary<string, string> keys, IReadOnlyDictionary<string, string?>? settings)
    {
        var api = Launch(runtimeConnectionString, ownerConnectionString, keys, settings);
        await api.WaitUntilReadyAsync();
        return api;
    }

    private static ApiProcess Launch(
        string runtimeConnectionString, string ownerConnectionString, IReadOnlyDictionary<string, string> keys, IReadOnlyDictionary<string, string?>? settings)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Kontakt.Api.dll"), "--urls", baseAddress.ToString() },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Kontakt"] = runtimeConnectionString;
        start.Environment["ConnectionStrings__KontaktMigrations"] = ownerConnectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        // Test classes run in parallel: the MLLP listener is off unless a test gives it a free port.
        start.Environment["Kontakt__Hl7__MllpPort"] = "0";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var api = new ApiProcess(process, baseAddress, keys);
        process.OutputDataReceived += (_, line) => api.Append(line.Data);
        process.ErrorDataReceived += (_, line) => api.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    public async Task WaitUntilReadyAsync()
    {
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(_process.HasExited, $"the API exited while starting:\n{Output}");
                return await ReadyStatusAsync() == HttpStatusCode.OK;
            },
            StartTimeout,
            $"the API never became ready:\n{Output}");
    }

    /// <summary>The status of <c>/health/ready</c>, or null when nothing answers.</summary>
    public async Task<HttpStatusCode?> ReadyStatusAsync()
    {
        try
        {
            using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
            using var response = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    public void Signal(string signal) => Signals.Send(_process.Id, signal);

    /// <summary>Waits for the process to end; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the API did not exit within {timeout}:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
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
