using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>
/// Reads the stable horizon: the latest system time for which no in-flight batch can still add
/// versions. Answers for times up to the horizon never change; later times are answered as of it.
/// The writers' side of this rule (lock, stamp, <c>stable_horizon()</c>) is described at
/// <see cref="Storage.CommitOrdering"/>. The horizon is that of the server the reads go to: a standby's is the last
/// stamp it has replayed (<see cref="ReadDataSource"/>).
/// </summary>
public sealed class StableHorizon(ReadDataSource reads)
{
    /// <summary>The service key of the primary's horizon, for reads that stay on the primary (PHI).</summary>
    public const string Primary = "primary";

    // The highest horizon this process has read. A horizon stays stable forever, so any time at
    // or before it can be answered without asking the database again. (A standby that has not yet
    // replayed that far is not asked for it: ReadDataSource sends such a read to the primary.)
    private long _highestKnownTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>The current stable horizon.</summary>
    public async Task<DateTimeOffset> ReadAsync(CancellationToken cancellationToken)
    {
        // Its own statement, before any query that uses it: that query's snapshot is then taken
        // after every batch stamped at or before the horizon has committed.
        var horizon = await reads.ReadAsync(replayedThrough: null, async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT public_store.stable_horizon()", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return reader.GetFieldValue<DateTimeOffset>(0);
        }, cancellationToken);
        RaiseKnown(horizon.UtcTicks);
        return horizon;
    }

    /// <summary>The time to answer for: <paramref name="requested"/>, or the horizon if it is later or absent.</summary>
    public async Task<DateTimeOffset> EffectiveAsync(DateTimeOffset? requested, CancellationToken cancellationToken)
    {
        if (requested is { } known && known.UtcTicks <= Interlocked.Read(ref _highestKnownTicks))
        {
            return known;
        }
        var horizon = await ReadAsync(cancellationToken);
        return requested is { } asOf && asOf < horizon ? asOf : horizon;
    }

    private void RaiseKnown(long ticks)
    {
        var current = Interlocked.Read(ref _highestKnownTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _highestKnownTicks, ticks, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
