using System.Collections.Concurrent;

namespace Kontakt.Core.Ingest;

/// <summary>
/// The records (a client's recordId) this process accepted and has not finished with yet (queued or being written),
/// with when each was received. Bounded by the queue's capacity: a record is added when it is queued
/// and removed once its outcome is stored (committed or dead-lettered). Only the process that
/// accepted a record knows it is queued; committed and failed records are known to every replica
/// through the database.
/// </summary>
public sealed class QueuedRecords
{
    private readonly ConcurrentDictionary<Key, Entry> _records = new();

    /// <summary>When <paramref name="client"/>'s record was received, if this process holds it queued.</summary>
    public DateTimeOffset? ReceivedAt(string client, string recordId) =>
        _records.TryGetValue(new Key(client, recordId), out var entry) ? entry.ReceivedAt : null;

    internal void Add(IngestRequest request)
    {
        foreach (var record in request.Records)
        {
            // A recordId retried while its first copy is still queued is held until both are done.
            _records.AddOrUpdate(new Key(record.Client, record.RecordId), new Entry(record.ReceivedAt, 1), (_, held) => held with { Holders = held.Holders + 1 });
        }
    }

    internal void Remove(IngestRequest request)
    {
        foreach (var record in request.Records)
        {
            var key = new Key(record.Client, record.RecordId);
            while (_records.TryGetValue(key, out var held))
            {
                var removed = held.Holders == 1
                    ? _records.TryRemove(new KeyValuePair<Key, Entry>(key, held))
                    : _records.TryUpdate(key, held with { Holders = held.Holders - 1 }, held);
                if (removed)
                {
                    break;
                }
            }
        }
    }

    // A struct of the two strings the record already holds: no allocation per record. Strings compare ordinally.
    private readonly record struct Key(string Client, string RecordId);

    private sealed record Entry(DateTimeOffset ReceivedAt, int Holders);
}
