using Kontakt.LoadTest.Load;
using Kontakt.LoadTest.Reporting;

namespace Kontakt.Tests.LoadTest;

public class RunMetricsTests
{
    [Fact]
    public async Task Latencies_recorded_from_many_threads_at_once_are_all_counted()
    {
        // Requests complete on many thread-pool threads at once; a histogram that is not safe for
        // concurrent writers loses counts, and its buckets then disagree with its total — which made
        // the progress sampler's maximum throw and crashed two benchmark runs.
        const int threads = 8;
        const int perThread = 200_000;
        var metrics = new RunMetrics();
        using var start = new Barrier(threads);
        var writers = Enumerable.Range(0, threads).Select(thread => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                metrics.Acknowledged(1, 1 + (i % 5_000) + thread, timestamp: i);
            }
        })).ToArray();

        var interval = metrics.TakeLatencyInterval(null);
        var total = interval.TotalCount;
        var highest = interval.MaxRecorded();
        while (!writers.All(w => w.IsCompleted))
        {
            interval = metrics.TakeLatencyInterval(interval);
            total += interval.TotalCount;
            highest = Math.Max(highest, interval.MaxRecorded());
        }
        await Task.WhenAll(writers);
        interval = metrics.TakeLatencyInterval(interval);
        total += interval.TotalCount;
        highest = Math.Max(highest, interval.MaxRecorded());

        Assert.Equal((long)threads * perThread, total);
        Assert.InRange(highest, 5_000 + threads - 1, 5_000 + threads + 5);
        Assert.Equal((long)threads * perThread, metrics.AcknowledgedRecords);
    }
}
