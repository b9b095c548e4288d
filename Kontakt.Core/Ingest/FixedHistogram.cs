namespace Kontakt.Core.Ingest;

/// <summary>
/// A thread-safe histogram with fixed upper bounds, in the shape Prometheus expects
/// (cumulative buckets, sum, count). Observing is lock-free.
/// </summary>
public sealed class FixedHistogram
{
    private readonly long[] _counts;
    private long _count;
    private double _sum;

    /// <summary>Creates a histogram with the given ascending upper bounds (an implicit +Inf bucket follows).</summary>
    public FixedHistogram(IReadOnlyList<double> upperBounds)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        UpperBounds = upperBounds;
        _counts = new long[upperBounds.Count + 1];
    }

    /// <summary>The buckets' upper bounds, ascending.</summary>
    public IReadOnlyList<double> UpperBounds { get; }

    /// <summary>Number of observations.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Sum of the observed values.</summary>
    public double Sum => Volatile.Read(ref _sum);

    /// <summary>Records one value.</summary>
    public void Observe(double value)
    {
        var bucket = 0;
        while (bucket < UpperBounds.Count && value > UpperBounds[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _count);
        double current, updated;
        do
        {
            current = Volatile.Read(ref _sum);
            updated = current + value;
        }
        while (Interlocked.CompareExchange(ref _sum, updated, current) != current);
    }

    /// <summary>Cumulative counts: element i counts values ≤ UpperBounds[i]; the last counts all.</summary>
    public long[] CumulativeCounts()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }
        return cumulative;
    }
}
