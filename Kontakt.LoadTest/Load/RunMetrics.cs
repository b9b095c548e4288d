using System.Diagnostics;
using HdrHistogram;

namespace Kontakt.LoadTest.Load;

/// <summary>
/// Counters and the latency recorder the senders update concurrently. Latencies are in
/// microseconds; <see cref="TakeLatencyInterval"/> hands the per-second sampler what was
/// recorded since its last call.
/// </summary>
public sealed class RunMetrics
{
    /// <summary>Highest trackable latency (10 minutes); longer ones are recorded as this.</summary>
    public const long HighestLatencyMicros = 600_000_000;

    // Requests complete on many threads at once: the plain LongHistogram lost counts under concurrent
    // writers, its buckets then disagreed with its total, and reading its maximum threw mid-run.
    private readonly Recorder _latency = new(1, HighestLatencyMicros, 3, (id, lowest, highest, digits) => new LongConcurrentHistogram(id, lowest, highest, digits));
    private readonly long[] _statuses = new long[AttemptStatus.Slots];
    private long _acknowledged;
    private long _failed;
    private long _acknowledgedRequests;
    private long _failedRequests;
    private long _attempts;
    private long _inFlight;
    private long _waitingToRetry;
    private long _newPatients;
    private long _mismatchedResponses;
    private long _firstSendTimestamp;
    private long _lastAcknowledgedTimestamp;

    public long AcknowledgedRecords => Interlocked.Read(ref _acknowledged);

    public long FailedRecords => Interlocked.Read(ref _failed);

    /// <summary>Requests acknowledged (retries not counted).</summary>
    public long AcknowledgedRequests => Interlocked.Read(ref _acknowledgedRequests);

    /// <summary>Requests given up on.</summary>
    public long FailedRequests => Interlocked.Read(ref _failedRequests);

    /// <summary>HTTP attempts sent, retries included.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Requests sleeping on Retry-After or a backoff before their next attempt.</summary>
    public long WaitingToRetry => Interlocked.Read(ref _waitingToRetry);

    public long NewPatients => Interlocked.Read(ref _newPatients);

    /// <summary>Acknowledgements whose body did not match the request (wrong count or record IDs).</summary>
    public long MismatchedResponses => Interlocked.Read(ref _mismatchedResponses);

    /// <summary><see cref="Stopwatch"/> timestamp of the first send; 0 before it.</summary>
    public long FirstSendTimestamp => Interlocked.Read(ref _firstSendTimestamp);

    /// <summary><see cref="Stopwatch"/> timestamp of the latest acknowledgement; 0 before it.</summary>
    public long LastAcknowledgedTimestamp => Interlocked.Read(ref _lastAcknowledgedTimestamp);

    public void AttemptStarted()
    {
        Interlocked.CompareExchange(ref _firstSendTimestamp, Stopwatch.GetTimestamp(), 0);
        Interlocked.Increment(ref _attempts);
        Interlocked.Increment(ref _inFlight);
    }

    public void AttemptFinished(int status)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _statuses[status is >= 0 and < AttemptStatus.Slots ? status : AttemptStatus.TransportError]);
    }

    public void Acknowledged(int records, long latencyMicros, long timestamp)
    {
        _latency.RecordValue(Math.Clamp(latencyMicros, 1, HighestLatencyMicros));
        Interlocked.Add(ref _acknowledged, records);
        Interlocked.Increment(ref _acknowledgedRequests);
        var seen = Interlocked.Read(ref _lastAcknowledgedTimestamp);
        while (timestamp > seen)
        {
            var previous = Interlocked.CompareExchange(ref _lastAcknowledgedTimestamp, timestamp, seen);
            if (previous == seen)
            {
                break;
            }
            seen = previous;
        }
    }

    public void RetryWaitStarted() => Interlocked.Increment(ref _waitingToRetry);

    public void RetryWaitFinished() => Interlocked.Decrement(ref _waitingToRetry);

    public void Failed(int records)
    {
        Interlocked.Add(ref _failed, records);
        Interlocked.Increment(ref _failedRequests);
    }

    public void NewPatientsSeen(int count) => Interlocked.Add(ref _newPatients, count);

    public void MismatchedResponse() => Interlocked.Increment(ref _mismatchedResponses);

    /// <summary>Attempts per status so far (statuses never seen are left out).</summary>
    public IReadOnlyDictionary<int, long> StatusCounts()
    {
        var counts = new SortedDictionary<int, long>();
        for (var status = 0; status < _statuses.Length; status++)
        {
            var count = Interlocked.Read(ref _statuses[status]);
            if (count > 0)
            {
                counts[status] = count;
            }
        }
        return counts;
    }

    /// <summary>Attempts so far that did not succeed.</summary>
    public long NonSuccessAttempts()
    {
        long total = 0;
        for (var status = 0; status < _statuses.Length; status++)
        {
            if (!AttemptStatus.IsSuccess(status))
            {
                total += Interlocked.Read(ref _statuses[status]);
            }
        }
        return total;
    }

    /// <summary>Latencies recorded since the previous call; pass the previous result back to recycle it.</summary>
    public HistogramBase TakeLatencyInterval(HistogramBase? recycle) => _latency.GetIntervalHistogram(recycle);
}
