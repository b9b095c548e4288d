using Kontakt.Core.Records;
using Npgsql;
using NpgsqlTypes;

namespace Kontakt.Core.Storage;

/// <summary>
/// Writes one batch of records in one transaction: binary COPY into a staging table,
/// set-based identity resolution, audit rows, public current + history, commit. Owns one
/// connection for its lifetime so the staging tables are created once, not per batch.
/// Not thread-safe: one per writer.
/// </summary>
public sealed class PostgresBatchWriter(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;
    private NpgsqlBatch? _apply;

    /// <summary>
    /// Stores <paramref name="records"/> and returns one outcome per record (stored, replayed or
    /// conflict), in the same order.
    /// Throws if nothing was committed; the connection is then discarded and reopened next time.
    /// </summary>
    public async Task<RecordOutcome[]> WriteAsync(IReadOnlyList<ValidatedRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var connection = await OpenAsync(cancellationToken);
        try
        {
            // READ COMMITTED is part of the design: each statement must see batches committed before it began.
            // The transaction ends with the batch's own COMMIT, and the outcomes are fetched after it: the
            // commit-order lock is held only while the server works, never while anything travels to this process.
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
            await CopyToStagingAsync(connection, records, cancellationToken);
            return await ApplyAsync(_apply!, transaction, records, cancellationToken);
        }
        catch
        {
            // Whatever failed (COPY, a statement, the commit), the connection's state is unknown.
            // Its pool's idle sessions may share the cause (a database switched to read-only keeps
            // every existing session read-only): close them all rather than retry on one of them.
            if (_connection is { } failed)
            {
                NpgsqlConnection.ClearPool(failed);
            }
            await DiscardConnectionAsync();
            throw;
        }
    }

    /// <summary>
    /// Stores <paramref name="failed"/> in <c>phi.dead_letters</c> in a small transaction of its own, on
    /// a connection apart from the batch's. Throws if nothing was stored; the caller retries.
    /// </summary>
    public async Task DeadLetterAsync(IReadOnlyList<FailedRecord> failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        await using var command = dataSource.CreateCommand(DeadLetterSql.Insert);
        command.Parameters.Add(new NpgsqlParameter<string[]>("clients", failed.Select(f => f.Client).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("record_ids", failed.Select(f => f.RecordId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("codes", failed.Select(f => f.Code).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("fields", failed.Select(f => f.Field).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("reasons", failed.Select(f => f.Reason).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("received_at", failed.Select(f => f.ReceivedAt).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DiscardConnectionAsync();

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }
        await DiscardConnectionAsync();
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var create = new NpgsqlCommand(BatchSql.CreateStagingTables, connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            // Planning these statements costs more than running them for a small batch; prepare once per connection.
            // A FETCH is described by its cursor, so the (empty) outcomes cursor is open while preparing.
            _apply = CreateApplyBatch(connection);
            await using (var declare = new NpgsqlCommand(BatchSql.DeclareOutcomes, connection))
            {
                await declare.ExecuteNonQueryAsync(cancellationToken);
            }
            await _apply.PrepareAsync(cancellationToken);
            await using (var close = new NpgsqlCommand(BatchSql.CloseOutcomes, connection))
            {
                await close.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _connection = connection;
        return connection;
    }

    private async ValueTask DiscardConnectionAsync()
    {
        if (_apply is { } apply)
        {
            _apply = null;
            await apply.DisposeAsync();
        }
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    private static async Task CopyToStagingAsync(NpgsqlConnection connection, IReadOnlyList<ValidatedRecord> records, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(BatchSql.CopyStaging, cancellationToken);
        for (var ord = 0; ord < records.Count; ord++)
        {
            var record = records[ord];
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(ord, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(record.Client, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(record.RecordId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(record.Name, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(record.NameKey, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(record.Dob, NpgsqlDbType.Date, cancellationToken);
            await importer.WriteAsync(record.FavoriteColor, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(record.CanonicalColor, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(record.ReceivedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static NpgsqlBatch CreateApplyBatch(NpgsqlConnection connection)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var statement in BatchSql.ApplyStatements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            if (statement.Sql == BatchSql.TakeCommitLock)
            {
                command.Parameters.Add(new NpgsqlParameter<long>("lock_key", CommitOrdering.AdvisoryLockKey));
            }
            batch.BatchCommands.Add(command);
        }
        return batch;
    }

    private static async Task<RecordOutcome[]> ApplyAsync(
        NpgsqlBatch batch, NpgsqlTransaction transaction, IReadOnlyList<ValidatedRecord> records, CancellationToken cancellationToken)
    {
        batch.Transaction = transaction;
        var outcomes = new RecordOutcome?[records.Count];
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            for (var skipped = 0; skipped < BatchSql.ResultSetsBeforeOutcomes; skipped++)
            {
                if (!await reader.NextResultAsync(cancellationToken))
                {
                    throw new BatchShapeException("The batch answered with fewer result sets than its statements return.");
                }
            }
            ApplyResult.CheckShape(reader);
            while (await reader.ReadAsync(cancellationToken))
            {
                var ord = reader.GetInt32(ApplyResult.Ord);
                if ((uint)ord >= (uint)outcomes.Length || outcomes[ord] is not null)
                {
                    throw new BatchShapeException($"The batch answered for record position {ord}, out of range or twice.");
                }
                if (reader.GetBoolean(ApplyResult.Conflict))
                {
                    outcomes[ord] = RecordOutcome.Conflict.Instance;
                    continue;
                }
                var result = new RecordResult(
                    records[ord].RecordId,
                    reader.GetGuid(ApplyResult.PatientId),
                    reader.GetBoolean(ApplyResult.NewPatient),
                    reader.GetFieldValue<DateTimeOffset>(ApplyResult.ReceivedAt));
                outcomes[ord] = reader.GetBoolean(ApplyResult.Replayed) ? new RecordOutcome.Replayed(result) : new RecordOutcome.Stored(result);
            }
        }

        var complete = new RecordOutcome[outcomes.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            complete[i] = outcomes[i] ?? throw new BatchShapeException($"The batch produced no result for record position {i}.");
        }
        return complete;
    }
}
