using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>
/// Reads the stable horizon: the latest system time for which no in-flight batch can still add
/// versions. Answers for times up to the horizon never change; later times are answered as of it.
/// The writers' side of this rule (lock, stamp, <c>stable_horizon()</c>) is described at
/// <see cref="Storage.CommitOrdering"/>.
/// </summary>
public sealed class StableHorizon(NpgsqlDataSource dataSource)
{
    // The highest horizon this process has read. A horizon stays stable forever, so any time at
    // or before it can be answered without asking the database again.
    private long _highestKnownTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>The current stable horizon.</summary>
    public async Task<DateTimeOffset> ReadAsync(CancellationToken cancellationToken)
    {
        // Its own statement, before any query that uses it: that query's snapshot is then taken
        // after every batch stamped at or before the horizon has committed.
        await using var command = dataSource.CreateCommand("SELECT public_store.stable_horizon()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var horizon = reader.GetFieldValue<DateTimeOffset>(0);
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
