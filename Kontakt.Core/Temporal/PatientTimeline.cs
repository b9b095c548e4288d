using Npgsql;
using NpgsqlTypes;

namespace Kontakt.Core.Temporal;

/// <summary>
/// One patient's public versions over system time. Reads only that patient's rows (by primary key), on the standby
/// when one is configured (<see cref="ReadDataSource"/>).
/// </summary>
public sealed class PatientTimeline(ReadDataSource reads)
{
    private const string AsOfSql = """
        SELECT favorite_color, valid_from, NULL::timestamptz AS valid_to
        FROM public_store.patients
        WHERE patient_id = @patient_id AND valid_from <= @as_of
        UNION ALL
        SELECT favorite_color, valid_from, valid_to
        FROM public_store.patient_history
        WHERE patient_id = @patient_id AND valid_from <= @as_of AND valid_to > @as_of
        LIMIT 1
        """;

    // Keyset: the page starts after the last validFrom served, so pages never skip or repeat a version
    // however many there are, and each reads only the primary-key range it returns.
    private const string HistoryPageSql = """
        SELECT favorite_color, valid_from, valid_to
        FROM public_store.patient_history
        WHERE patient_id = @patient_id AND valid_from > COALESCE(@after, '-infinity'::timestamptz)
        UNION ALL
        SELECT favorite_color, valid_from, NULL
        FROM public_store.patients
        WHERE patient_id = @patient_id AND valid_from > COALESCE(@after, '-infinity'::timestamptz)
        ORDER BY valid_from
        LIMIT @limit
        """;

    // The same keyset walk backwards, for FHIR's history (newest first).
    private const string NewestFirstPageSql = """
        SELECT favorite_color, valid_from, NULL::timestamptz AS valid_to
        FROM public_store.patients
        WHERE patient_id = @patient_id AND valid_from < COALESCE(@before, 'infinity'::timestamptz)
        UNION ALL
        SELECT favorite_color, valid_from, valid_to
        FROM public_store.patient_history
        WHERE patient_id = @patient_id AND valid_from < COALESCE(@before, 'infinity'::timestamptz)
        ORDER BY valid_from DESC
        LIMIT @limit
        """;

    /// <summary>The version valid at <paramref name="asOf"/>, or null if the patient did not exist yet.</summary>
    public async Task<PublicVersion?> FindAsOfAsync(Guid patientId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        // Only a server that has replayed through asOf can answer for it.
        var versions = await reads.ReadAsync(asOf, async connection =>
        {
            await using var command = new NpgsqlCommand(AsOfSql, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid>("patient_id", patientId));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("as_of", asOf));
            return await ReadAsync(command, cancellationToken);
        }, cancellationToken);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>
    /// Up to <paramref name="limit"/> public versions that became valid after <paramref name="after"/> (from the
    /// first when null), oldest first; <see cref="HistoryPage.HasMore"/> says whether later ones remain.
    /// </summary>
    public Task<HistoryPage> HistoryPageAsync(Guid patientId, DateTimeOffset? after, int limit, CancellationToken cancellationToken) =>
        PageAsync(HistoryPageSql, patientId, "after", after, limit, cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> public versions that became valid before <paramref name="before"/> (from the
    /// current one when null), newest first; <see cref="HistoryPage.HasMore"/> says whether older ones remain.
    /// </summary>
    public Task<HistoryPage> NewestFirstPageAsync(Guid patientId, DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        PageAsync(NewestFirstPageSql, patientId, "before", before, limit, cancellationToken);

    private async Task<HistoryPage> PageAsync(string sql, Guid patientId, string boundName, DateTimeOffset? bound, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var versions = await reads.ReadAsync(replayedThrough: null, async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid>("patient_id", patientId));
            command.Parameters.Add(new NpgsqlParameter(boundName, NpgsqlDbType.TimestampTz) { Value = bound is { } time ? time : DBNull.Value });
            // One more than asked tells whether another page exists without a second query.
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit + 1));
            return await ReadAsync(command, cancellationToken);
        }, cancellationToken);
        var hasMore = versions.Count > limit;
        if (hasMore)
        {
            versions.RemoveAt(limit);
        }
        return new HistoryPage(versions, hasMore);
    }

    private static async Task<List<PublicVersion>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<PublicVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new PublicVersion(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return versions;
    }
}
