using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>One patient's public versions over system time. Reads only that patient's rows (by primary key).</summary>
public sealed class PatientTimeline(NpgsqlDataSource dataSource)
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

    private const string HistorySql = """
        SELECT favorite_color, valid_from, valid_to
        FROM public_store.patient_history
        WHERE patient_id = @patient_id
        UNION ALL
        SELECT favorite_color, valid_from, NULL
        FROM public_store.patients
        WHERE patient_id = @patient_id
        ORDER BY valid_from
        """;

    /// <summary>The version valid at <paramref name="asOf"/>, or null if the patient did not exist yet.</summary>
    public async Task<PublicVersion?> FindAsOfAsync(Guid patientId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var versions = await ReadAsync(AsOfSql, patientId, asOf, cancellationToken);
        return versions.Count == 0 ? null : versions[0];
    }

    /// <summary>Every public version, oldest first; empty if the patient is unknown.</summary>
    public Task<List<PublicVersion>> HistoryAsync(Guid patientId, CancellationToken cancellationToken) =>
        ReadAsync(HistorySql, patientId, asOf: null, cancellationToken);

    private async Task<List<PublicVersion>> ReadAsync(string sql, Guid patientId, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid>("patient_id", patientId));
        if (asOf is { } time)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("as_of", time));
        }
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
