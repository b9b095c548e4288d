namespace Kontakt.LoadTest.Cli;

/// <summary>The command line, parsed and checked. Defaults are the ones <c>--help</c> shows.</summary>
public sealed record LoadTestOptions
{
    public Uri Target { get; init; } = new("http://127.0.0.1:5000");

    public int Records { get; init; } = 100_000;

    public LoadMode Mode { get; init; } = LoadMode.Single;

    public int BatchSize { get; init; } = 1000;

    public int Concurrency { get; init; } = 128;

    /// <summary>What sends the records: <see cref="HttpClient"/> (realistic) or the raw socket client (cheaper).</summary>
    public LoadClient Client { get; init; } = LoadClient.Http;

    /// <summary>Records per second for the open model; null runs the closed model.</summary>
    public double? Rate { get; init; }

    public double Returning { get; init; } = 0.2;

    public double ColorChanges { get; init; } = 0.1;

    public int Seed { get; init; } = 42;

    public string? Database { get; init; }

    /// <summary>The X-Api-Key for writing records (role ingest); see <see cref="Load.ApiKeys"/> for the defaults.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The X-Api-Key for the async mode's visibility checks (role analyst).</summary>
    public string? AnalystApiKey { get; init; }

    public string? EmbeddedDataDirectory { get; init; }

    public int EmbeddedPort { get; init; } = 55432;

    public string? ReportDirectory { get; init; }

    public string? Scenario { get; init; }

    public bool NoLive { get; init; }

    public int VerifySample { get; init; } = 1000;

    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to warm the generator's own HTTP path up before the clock starts; zero for none.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public bool SkipVerify { get; init; }

    public bool DryRun { get; init; }

    /// <summary>The arguments as given, for the report.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public bool OpenModel => Rate is not null;

    /// <summary>Records per request.</summary>
    public int RecordsPerRequest => Mode == LoadMode.Batch ? BatchSize : 1;
}
