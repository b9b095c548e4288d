namespace Kontakt.LoadTest.Load;

/// <summary>One point of the per-second time series.</summary>
/// <param name="Second">Seconds since the run started, at the end of this interval.</param>
/// <param name="IntervalSeconds">Length of the interval (1, except possibly the last).</param>
/// <param name="RecordsPerSecond">Records acknowledged in the interval, per second.</param>
/// <param name="RequestsPerSecond">Requests acknowledged in the interval, per second.</param>
/// <param name="NonSuccessAttempts">Attempts in the interval that did not succeed (503, 5xx, transport errors...).</param>
/// <param name="InFlight">Attempts in flight at the end of the interval.</param>
/// <param name="P50Ms">Median latency of the requests acknowledged in the interval.</param>
/// <param name="P99Ms">99th percentile of the same.</param>
/// <param name="MaxMs">Maximum of the same.</param>
public sealed record SecondSample(
    double Second,
    double IntervalSeconds,
    double RecordsPerSecond,
    double RequestsPerSecond,
    long NonSuccessAttempts,
    long InFlight,
    double P50Ms,
    double P99Ms,
    double MaxMs);
