using HdrHistogram;
using Kontakt.LoadTest.Load;
using Kontakt.LoadTest.Reporting;

namespace Kontakt.Tests.LoadTest;

public sealed class PercentilesTests
{
    private static readonly double[] OneToThousand = [.. Enumerable.Range(1, 1_000).Select(i => (double)i)];

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.1, 1)]
    [InlineData(50, 500)]
    [InlineData(90, 900)]
    [InlineData(99, 990)]
    [InlineData(99.9, 999)]
    [InlineData(100, 1_000)]
    public void Nearest_rank_percentiles_of_one_to_a_thousand(double percentile, double expected) =>
        Assert.Equal(expected, Percentiles.Of(OneToThousand, percentile));

    [Fact]
    public void Order_of_the_values_does_not_matter()
    {
        var shuffled = OneToThousand.OrderBy(v => (v * 7919) % 1_000).ToArray();
        Assert.Equal(500, Percentiles.Of(shuffled, 50));
        Assert.Equal(990, Percentiles.Of(shuffled, 99));
    }

    [Fact]
    public void Nearest_rank_of_a_small_sample_is_one_of_its_values()
    {
        double[] values = [15, 20, 35, 40, 50];
        Assert.Equal(35, Percentiles.Of(values, 50));
        Assert.Equal(20, Percentiles.Of(values, 40));
        Assert.Equal(50, Percentiles.Of(values, 99));
    }

    [Fact]
    public void Summary_of_one_to_a_thousand()
    {
        var summary = Percentiles.Summarize(OneToThousand);
        Assert.Equal(new PercentileSummary(1_000, 500, 900, 990, 999, 1_000), summary);
    }

    [Fact]
    public void No_values_summarize_to_zeros() =>
        Assert.Equal(new PercentileSummary(0, 0, 0, 0, 0, 0), Percentiles.Summarize([]));

    [Theory]
    [InlineData(-1)]
    [InlineData(100.1)]
    public void Percentiles_outside_0_to_100_are_refused(double percentile) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of(OneToThousand, percentile));

    [Fact]
    public void Latency_summary_converts_a_microsecond_histogram_to_milliseconds()
    {
        var histogram = new LongHistogram(1, RunMetrics.HighestLatencyMicros, 3);
        for (var ms = 1; ms <= 1_000; ms++)
        {
            histogram.RecordValue(ms * 1_000L);
        }

        var summary = LatencySummary.From(histogram);

        // Three significant digits: a reported value is within 0.1 % above the recorded one.
        static void Near(double expectedMs, double actualMs) => Assert.InRange(actualMs, expectedMs, expectedMs * 1.001);
        Assert.Equal(1_000, summary.Count);
        Near(500, summary.P50Ms);
        Near(900, summary.P90Ms);
        Near(990, summary.P99Ms);
        Near(999, summary.P999Ms);
        Near(1_000, summary.MaxMs);
    }

    [Fact]
    public void Latency_summary_of_a_skewed_distribution_separates_median_and_tail()
    {
        var histogram = new LongHistogram(1, RunMetrics.HighestLatencyMicros, 3);
        histogram.RecordValueWithCount(2_000, 990);
        histogram.RecordValueWithCount(250_000, 10);

        var summary = LatencySummary.From(histogram);

        Assert.InRange(summary.P50Ms, 2, 2.002);
        Assert.InRange(summary.P99Ms, 2, 2.002);
        Assert.InRange(summary.P999Ms, 250, 250.25);
        Assert.InRange(summary.MaxMs, 250, 250.25);
    }

    [Fact]
    public void Latency_summary_of_an_empty_histogram_is_zeros() =>
        Assert.Equal(new PercentileSummary(0, 0, 0, 0, 0, 0), LatencySummary.From(new LongHistogram(1, RunMetrics.HighestLatencyMicros, 3)));
}
