using Kontakt.Core.Records;
using Npgsql;

namespace Kontakt.Core.Storage;

/// <summary>What the database knows of a record: committed (<c>phi.records</c>) or failed (<c>phi.dead_letters</c>).</summary>
public sealed class RecordStatusQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The stored status of <paramref name="client"/>'s record; null when the database has never seen it. Another
    /// client's record with the same recordId is not this one: it answers null as well.
    /// </summary>
    public async Task<RecordStatus?> FindAsync(string client, string recordId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(recordId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The dead letter first: a 202 whose recordId the same client had already stored for someone else
        // reports its own failure, not the other record.
        // Except storage_unavailable: the writer gave up without knowing whether its last attempt
        // committed, so a stored record (that attempt, or a retry the client sent) is the truth.
        var failed = await FindDeadLetterAsync(connection, client, recordId, cancellationToken);
        if (failed is { Error.Code: not FailedRecord.StorageUnavailableCode })
        {
            return failed;
        }
        await using var committed = new NpgsqlCommand(DeadLetterSql.Committed, connection);
        committed.Parameters.AddWithValue("client", client);
        committed.Parameters.AddWithValue("record_id", recordId);
        await using var reader = await committed.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RecordStatus(recordId, RecordStatus.Committed, reader.GetGuid(0), reader.GetBoolean(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3), null)
            : failed;
    }

    private static async Task<RecordStatus?> FindDeadLetterAsync(NpgsqlConnection connection, string client, string recordId, CancellationToken cancellationToken)
    {
        await using var failed = new NpgsqlCommand(DeadLetterSql.Failed, connection);
        failed.Parameters.AddWithValue("client", client);
        failed.Parameters.AddWithValue("record_id", recordId);
        await using var letters = await failed.ExecuteReaderAsync(cancellationToken);
        if (!await letters.ReadAsync(cancellationToken))
        {
            return null;
        }
        var error = new RecordStatusError(letters.GetString(0), letters.IsDBNull(1) ? null : letters.GetString(1), letters.GetString(2));
        return new RecordStatus(recordId, RecordStatus.Failed, null, null, letters.GetFieldValue<DateTimeOffset>(3), null, error);
    }
}
