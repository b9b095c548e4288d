using Kontakt.LoadTest.Verification;

namespace Kontakt.LoadTest.Scenarios;

/// <summary>
/// The product's headline promise: one million records acknowledged within 60 s, and all of
/// them queryable within 5 s of the last acknowledgement.
/// </summary>
public static class Kontakt1mScenario
{
    public const string Name = "kontakt-1m";
    public const int Records = 1_000_000;

    /// <summary>
    /// Clients in flight unless --concurrency says otherwise: durable 201s come back in group commits,
    /// so throughput is clients ÷ commit latency; 512 was the fastest measured here (docs/benchmarks.md).
    /// </summary>
    public const int Concurrency = 512;

    public static readonly TimeSpan AcknowledgeWithin = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan QueryableWithin = TimeSpan.FromSeconds(5);

    /// <param name="requiredRecords">Records the run was to send.</param>
    /// <param name="acknowledged">Records acknowledged.</param>
    /// <param name="elapsed">First send to last acknowledgement.</param>
    /// <param name="queryableAfter">Last acknowledgement to all records counted in the audit store; null if never.</param>
    public static ScenarioVerdict Judge(int requiredRecords, long acknowledged, TimeSpan elapsed, TimeSpan? queryableAfter)
    {
        var allAcknowledged = acknowledged == requiredRecords;
        var inTime = allAcknowledged && elapsed <= AcknowledgeWithin;
        var queryable = queryableAfter is { } after && after <= QueryableWithin;
        var criteria = new List<CheckResult>
        {
            new("all records acknowledged", allAcknowledged, $"{acknowledged:N0} of {requiredRecords:N0}"),
            new($"acknowledged within {AcknowledgeWithin.TotalSeconds:0} s", inTime, $"{elapsed.TotalSeconds:0.00} s"),
            new($"queryable within {QueryableWithin.TotalSeconds:0} s of the last acknowledgement", queryable,
                queryableAfter is { } q ? $"{q.TotalMilliseconds:N0} ms" : "not all queryable before the settle timeout"),
        };
        return new ScenarioVerdict(Name, criteria.TrueForAll(c => c.Passed), criteria);
    }
}
