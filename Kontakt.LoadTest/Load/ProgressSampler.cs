using System.Diagnostics;
using HdrHistogram;
using Kontakt.LoadTest.Reporting;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// Once per second turns the <see cref="RunMetrics"/> into a <see cref="SecondSample"/> (for
/// the report's charts) and a <see cref="ProgressView"/> (for the live display), and folds
/// the second's latencies into the whole run's histogram.
/// </summary>
public sealed class ProgressSampler(RunMetrics metrics, int totalRecords)
{
    private static readonly TimeSpan ShortestFinalInterval = TimeSpan.FromMilliseconds(250);

    private readonly LongHistogram _cumulative = new(1, RunMetrics.HighestLatencyMicros, 3);
    private readonly List<SecondSample> _samples = [];
    private readonly Lock _lock = new();
    private HistogramBase? _interval;
    private long _startTimestamp;
    private long _lastTimestamp;
    private long _lastAcknowledged;
    private long _lastAcknowledgedRequests;
    private long _lastNonSuccess;
    private ProgressView? _view;

    public long StartTimestamp => _startTimestamp;

    public void Start()
    {
        _startTimestamp = Stopwatch.GetTimestamp();
        _lastTimestamp = _startTimestamp;
        _view = BuildView(0, _startTimestamp);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                Sample(final: false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over; the caller takes the final partial sample.
        }
    }

    /// <summary>Closes the current interval. The final one is kept only if long enough to give a meaningful rate.</summary>
    public void Sample(bool final)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
            _interval = metrics.TakeLatencyInterval(_interval);
            _cumulative.Add(_interval);

            var acknowledged = metrics.AcknowledgedRecords;
            var acknowledgedRequests = metrics.AcknowledgedRequests;
            var nonSuccess = metrics.NonSuccessAttempts();
            var recordsPerSecond = seconds > 0 ? (acknowledged - _lastAcknowledged) / seconds : 0;
            if (!final || seconds >= ShortestFinalInterval.TotalSeconds)
            {
                _samples.Add(new SecondSample(
                    Math.Round(Stopwatch.GetElapsedTime(_startTimestamp, now).TotalSeconds, 3),
                    Math.Round(seconds, 3),
                    Math.Round(recordsPerSecond, 1),
                    Math.Round(seconds > 0 ? (acknowledgedRequests - _lastAcknowledgedRequests) / seconds : 0, 1),
                    nonSuccess - _lastNonSuccess,
                    metrics.InFlight,
                    ToMs(_interval.TotalCount > 0 ? _interval.GetValueAtPercentile(50) : 0),
                    ToMs(_interval.TotalCount > 0 ? _interval.GetValueAtPercentile(99) : 0),
                    ToMs(_interval.TotalCount > 0 ? _interval.MaxRecorded() : 0)));
            }
            _lastTimestamp = now;
            _lastAcknowledged = acknowledged;
            _lastAcknowledgedRequests = acknowledgedRequests;
            _lastNonSuccess = nonSuccess;
            _view = BuildView(recordsPerSecond, now);
        }
    }

    public ProgressView View()
    {
        lock (_lock)
        {
            return _view ?? BuildView(0, Stopwatch.GetTimestamp());
        }
    }

    public IReadOnlyList<SecondSample> Samples()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    /// <summary>A copy of the whole run's latency histogram (microseconds).</summary>
    public HistogramBase Cumulative()
    {
        lock (_lock)
        {
            return _cumulative.Copy();
        }
    }

    private ProgressView BuildView(double lastSecondRate, long now)
    {
        var elapsed = Stopwatch.GetElapsedTime(_startTimestamp, now);
        var acknowledged = metrics.AcknowledgedRecords;
        var any = _cumulative.TotalCount > 0;
        return new ProgressView(
            elapsed,
            acknowledged,
            totalRecords,
            lastSecondRate,
            elapsed.TotalSeconds > 0 ? acknowledged / elapsed.TotalSeconds : 0,
            metrics.InFlight,
            metrics.WaitingToRetry,
            ToMs(any ? _cumulative.GetValueAtPercentile(50) : 0),
            ToMs(any ? _cumulative.GetValueAtPercentile(99) : 0),
            ToMs(any ? _cumulative.MaxRecorded() : 0),
            metrics.StatusCounts());
    }

    private static double ToMs(long micros) => Math.Round(micros / 1000.0, 3);
}
