namespace Kontakt.LoadTest.Reporting;

/// <summary>
/// What the load produced. Elapsed runs from the first send to the last acknowledgement;
/// NewPatients is null in async mode, whose 202s do not say.
/// </summary>
public sealed record RunResults(
    long AcknowledgedRecords,
    long FailedRecords,
    long AcknowledgedRequests,
    long FailedRequests,
    long Attempts,
    double ElapsedSeconds,
    double RecordsPerSecond,
    double RequestsPerSecond,
    long? NewPatients,
    PercentileSummary Latency,
    string LatencyMeasuredFrom,
    IReadOnlyDictionary<string, long> StatusCounts,
    IReadOnlyList<string> ErrorSamples,
    bool Interrupted);
