namespace Kontakt.LoadTest.Reporting;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record PercentileSummary(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs);
