using HdrHistogram;

namespace Kontakt.LoadTest.Reporting;

/// <summary>
/// The largest recorded value. HdrHistogram.NET 2.5's <c>GetMaxValue()</c> walks an enumerator that throws
/// ArgumentOutOfRangeException when the histogram's total and its buckets briefly disagree (it crashed two
/// async runs); the 100th percentile is the same value found by a plain walk over the buckets.
/// </summary>
public static class HistogramMax
{
    public static long MaxRecorded(this HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(100);
    }
}
