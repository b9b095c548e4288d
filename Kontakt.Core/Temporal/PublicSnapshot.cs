using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>
/// Every patient's public row valid at a system time, ordered by patient ID, streamed in constant
/// memory from one read-only REPEATABLE READ transaction.
/// </summary>
public sealed class PublicSnapshot(SnapshotDataSource snapshots)
{
    // A manifest at a stable time never changes, so it is computed once; the bound keeps odd asOf sweeps from growing memory.
    private const int CachedManifests = 1024;
    private readonly ConcurrentDictionary<DateTimeOffset, SnapshotManifest> _manifests = new();

    // Bounds one export server-side too, so a stalled download cannot hold its snapshot (and old row versions) for ever.
    private const string TimeoutSql = "SELECT set_config('statement_timeout', @timeout, true), set_config('idle_in_transaction_session_timeout', @timeout, true)";

    private const int FlushBytes = 64 * 1024;

    private const string RowsSql = """
        SELECT patient_id, favorite_color
        FROM (
            SELECT patient_id, favorite_color
            FROM public_store.patients
            WHERE valid_from <= @as_of
            UNION ALL
            SELECT patient_id, favorite_color
            FROM public_store.patient_history
            WHERE valid_from <= @as_of AND valid_to > @as_of
        ) valid_at
        ORDER BY patient_id
        """;

    /// <summary>
    /// Writes the snapshot at <paramref name="asOf"/> to <paramref name="output"/> in chunks and returns the row count.
    /// <paramref name="asOf"/> must not be later than the stable horizon. An export still running after
    /// <see cref="SnapshotDataSource.Timeout"/> ends with a <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<long> WriteAsync(DateTimeOffset asOf, SnapshotFormat format, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        // PostgreSQL's time-outs cannot end a backend blocked sending rows to a client that stopped reading: the
        // deadline here ends the export, and with it the slot and the transaction, whatever the client does.
        using var deadline = new CancellationTokenSource(snapshots.Timeout);
        using var exportOrRequest = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await WriteRowsAsync(asOf, format, output, exportOrRequest.Token);
        }
        // However it surfaced (a cancelled write or read, PostgreSQL's statement time-out met while the reader drained
        // the rows left, the request aborted by the server after the cancelled write), the deadline came first.
        catch (Exception error) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The export ran longer than {SnapshotOptions.Section}:Timeout.", error);
        }
    }

    private async Task<long> WriteRowsAsync(DateTimeOffset asOf, SnapshotFormat format, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> output, CancellationToken cancellationToken)
    {
        // Opened where asOf has been replayed; once rows flow there is no falling back, so not ReadAsync.
        await using var connection = await snapshots.DataSource.OpenConnectionAsync(asOf, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var timeout = new NpgsqlCommand(TimeoutSql, connection, transaction))
        {
            var milliseconds = (long)snapshots.Timeout.TotalMilliseconds;
            timeout.Parameters.Add(new NpgsqlParameter<string>("timeout", milliseconds.ToString(CultureInfo.InvariantCulture)));
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        long count = 0;
        await using (var command = new NpgsqlCommand(RowsSql, connection, transaction) { CommandTimeout = 0 })
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("as_of", asOf));
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            using var rows = new SnapshotRowWriter(format);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Write(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1));
                count++;
                if (rows.BufferedBytes >= FlushBytes)
                {
                    await output(rows.Buffered, cancellationToken);
                    rows.Clear();
                }
            }
            if (rows.BufferedBytes > 0)
            {
                await output(rows.Buffered, cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>Counts and hashes the canonical NDJSON export at <paramref name="asOf"/> without sending it anywhere.</summary>
    public async Task<SnapshotManifest> ManifestAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        if (_manifests.TryGetValue(asOf, out var cached))
        {
            return cached;
        }
        var manifest = await ComputeManifestAsync(asOf, cancellationToken);
        if (_manifests.Count >= CachedManifests)
        {
            _manifests.Clear();
        }
        _manifests[asOf] = manifest;
        return manifest;
    }

    /// <summary>Whether the manifest at <paramref name="asOf"/> is already known, so serving it reads nothing.</summary>
    public bool HasCachedManifest(DateTimeOffset asOf) => _manifests.ContainsKey(asOf);

    private async Task<SnapshotManifest> ComputeManifestAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var count = await WriteAsync(asOf, SnapshotFormat.NdJson, (chunk, _) =>
        {
            hash.AppendData(chunk.Span);
            return ValueTask.CompletedTask;
        }, cancellationToken);
        return new SnapshotManifest(asOf, count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
