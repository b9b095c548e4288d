namespace Kontakt.LoadTest.Reporting;

/// <summary>Exact percentiles of small samples (the visibility sample), by the nearest-rank method.</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="percentile"/> (0-100) of <paramref name="values"/>; 0 for no values.</summary>
    public static double Of(IReadOnlyCollection<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToArray();
        // percentile * n / 100, not percentile / 100 * n: 99.9 / 100 * 1000 is 999.0000000000001 and would round up a rank.
        var rank = (int)Math.Ceiling(Math.Round(percentile * sorted.Length / 100, 9));
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static PercentileSummary Summarize(IReadOnlyCollection<double> values) => new(
        values.Count,
        Math.Round(Of(values, 50), 3),
        Math.Round(Of(values, 90), 3),
        Math.Round(Of(values, 99), 3),
        Math.Round(Of(values, 99.9), 3),
        Math.Round(values.Count == 0 ? 0 : values.Max(), 3));
}
