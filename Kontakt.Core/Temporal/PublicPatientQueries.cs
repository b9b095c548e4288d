using Npgsql;

namespace Kontakt.Core.Temporal;

/// <summary>Reads of the public store. Touches no PHI table.</summary>
public sealed class PublicPatientQueries(NpgsqlDataSource dataSource)
{
    private const string CurrentSql = """
        SELECT favorite_color, valid_from
        FROM public_store.patients
        WHERE patient_id = @patient_id
        """;

    /// <summary>The current public view of a patient, or <c>null</c> when the ID is unknown.</summary>
    public async Task<PublicPatientView?> FindCurrentAsync(Guid patientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CurrentSql);
        command.Parameters.Add(new NpgsqlParameter<Guid>("patient_id", patientId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new PublicPatientView(patientId, reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1));
    }
}
