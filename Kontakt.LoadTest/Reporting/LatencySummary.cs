using HdrHistogram;

namespace Kontakt.LoadTest.Reporting;

/// <summary>Percentiles of an HdrHistogram recorded in microseconds, in milliseconds.</summary>
public static class LatencySummary
{
    public static PercentileSummary From(HistogramBase micros)
    {
        ArgumentNullException.ThrowIfNull(micros);
        if (micros.TotalCount == 0)
        {
            return new PercentileSummary(0, 0, 0, 0, 0, 0);
        }
        return new PercentileSummary(
            micros.TotalCount,
            Ms(micros.GetValueAtPercentile(50)),
            Ms(micros.GetValueAtPercentile(90)),
            Ms(micros.GetValueAtPercentile(99)),
            Ms(micros.GetValueAtPercentile(99.9)),
            Ms(micros.MaxRecorded()));
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
