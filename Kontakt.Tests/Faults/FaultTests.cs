using Kontakt.Tests.Support;

namespace Kontakt.Tests.Faults;

/// <summary>
/// The fault tests run real API processes and real PostgreSQL servers and break them. They run
/// alone, after the other tests, so a stalled or restarted process never disturbs an unrelated test
/// and the timings they allow are not eaten by parallel work.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultTests
{
    public const string Name = "Faults";

    internal static readonly TimeSpan CommitDeadline = TimeSpan.FromSeconds(60);

    /// <summary>How many of <paramref name="recordIds"/> are stored.</summary>
    internal static Task<long> StoredAsync(TestDatabase database, IReadOnlyCollection<string> recordIds) =>
        database.ScalarAsync<long>("SELECT count(*) FROM phi.records WHERE record_id = ANY(@ids)", ("ids", recordIds.ToArray()));

    /// <summary>Waits until <paramref name="load"/> has had <paramref name="count"/> records acknowledged.</summary>
    internal static Task AcknowledgedAsync(IngestLoad load, int count) =>
        Eventually.TrueAsync(() => Task.FromResult(load.Acknowledged.Count >= count), TimeSpan.FromSeconds(60),
            $"fewer than {count} records were acknowledged");
}
