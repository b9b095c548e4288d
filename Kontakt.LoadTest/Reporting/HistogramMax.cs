using HdrHistogram;

namespace Kontakt.LoadTest.Reporting;

/// <summary>
/// The largest recorded value: the 100th percentile, a plain walk over the buckets. (HdrHistogram.NET
/// 2.5's <c>GetMaxValue()</c> walks an enumerator; both throw if the total and the buckets disagree,
/// which only a histogram written by several threads without a concurrent histogram type can cause.)
/// </summary>
public static class HistogramMax
{
    public static long MaxRecorded(this HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(100);
    }
}
