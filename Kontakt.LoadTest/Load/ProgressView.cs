namespace Kontakt.LoadTest.Load;

/// <summary>What the live display shows: a consistent snapshot taken once per second.</summary>
public sealed record ProgressView(
    TimeSpan Elapsed,
    long AcknowledgedRecords,
    int TotalRecords,
    double LastSecondRecordsPerSecond,
    double AverageRecordsPerSecond,
    long InFlight,
    long WaitingToRetry,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyDictionary<int, long> StatusCounts);
