using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>
/// AS-OF reads of the audit store. These return PHI, so they run only on a connection the caller
/// holds: <see cref="Security.AuditedReads"/> writes the access event in the same transaction.
/// </summary>
public sealed class AuditQueries
{
    private const string AsOfSql = """
        SELECT latest.name, p.dob, latest.favorite_color, latest.record_id, latest.received_at, latest.committed_at,
               totals.first_seen_at, totals.records
        FROM phi.patients p
        CROSS JOIN LATERAL (
            SELECT r.name, r.favorite_color, r.record_id, r.received_at, r.committed_at
            FROM phi.records r
            WHERE r.patient_key = p.patient_key AND r.committed_at <= @as_of
            ORDER BY r.committed_at DESC, r.record_key DESC
            LIMIT 1
        ) latest
        CROSS JOIN LATERAL (
            SELECT min(r.committed_at) AS first_seen_at, count(*) AS records
            FROM phi.records r
            WHERE r.patient_key = p.patient_key AND r.committed_at <= @as_of
        ) totals
        WHERE p.patient_id = @patient_id
        """;

    /// <summary>The patient as the audit store knew them at <paramref name="asOf"/>, or null if not yet known.</summary>
    public async Task<AuditPatientView?> FindAsOfAsync(NpgsqlConnection connection, Guid patientId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AsOfSql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("patient_id", patientId));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("as_of", asOf));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new AuditPatientView(
            patientId,
            reader.GetString(0),
            reader.GetFieldValue<DateOnly>(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetFieldValue<DateTimeOffset>(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetInt64(7));
    }
}
