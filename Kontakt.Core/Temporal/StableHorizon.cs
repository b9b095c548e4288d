using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>
/// Reads the stable horizon: the latest system time for which no in-flight batch can still add
/// versions. Answers for times up to the horizon never change; later times are answered as of it.
/// </summary>
public sealed class StableHorizon(NpgsqlDataSource dataSource)
{
    /// <summary>The current stable horizon.</summary>
    public async Task<DateTimeOffset> ReadAsync(CancellationToken cancellationToken)
    {
        // Its own statement, before any query that uses it: that query's snapshot is then taken
        // after every batch stamped at or before the horizon has committed.
        await using var command = dataSource.CreateCommand("SELECT public_store.stable_horizon()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    /// <summary>The time to answer for: <paramref name="requested"/>, or the horizon if it is later or absent.</summary>
    public async Task<DateTimeOffset> EffectiveAsync(DateTimeOffset? requested, CancellationToken cancellationToken)
    {
        var horizon = await ReadAsync(cancellationToken);
        return requested is { } asOf && asOf < horizon ? asOf : horizon;
    }
}
