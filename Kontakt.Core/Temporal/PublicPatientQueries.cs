using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>Reads of the public store, on the standby when one is configured (<see cref="ReadDataSource"/>). Touches no PHI table.</summary>
public sealed class PublicPatientQueries(ReadDataSource reads)
{
    private const string CurrentSql = """
        SELECT favorite_color, valid_from
        FROM public_store.patients
        WHERE patient_id = @patient_id
        """;

    /// <summary>
    /// The current public view of a patient, or <c>null</c> when the ID is unknown. Read on a standby, "current" is
    /// what it has replayed: a record answered 201 shows here once the standby has replayed it.
    /// </summary>
    public Task<PublicPatientView?> FindCurrentAsync(Guid patientId, CancellationToken cancellationToken) =>
        reads.ReadAsync(replayedThrough: null, connection => FindCurrentAsync(connection, patientId, cancellationToken), cancellationToken);

    private static async Task<PublicPatientView?> FindCurrentAsync(NpgsqlConnection connection, Guid patientId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CurrentSql, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("patient_id", patientId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new PublicPatientView(patientId, reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1));
    }
}
