using Npgsql;

namespace Kontakt.LoadTest.Verification;

/// <summary>The queries the verification runs against the service's database. Parameterized SQL only.</summary>
public sealed class AuditStore(NpgsqlDataSource dataSource)
{
    private const string CountSql = "SELECT count(*) FROM phi.records WHERE record_id LIKE @prefix";

    private const string VisibleSql = """
        SELECT r.record_id, p.patient_id
        FROM phi.records r JOIN phi.patients p USING (patient_key)
        WHERE r.record_id = ANY(@ids)
        """;

    private const string RunPatientsSql = """
        SELECT r.record_id, p.patient_id
        FROM phi.records r JOIN phi.patients p USING (patient_key)
        WHERE r.record_id LIKE @prefix
        """;

    /// <summary>Records whose ID matches <paramref name="likePattern"/>.</summary>
    public async Task<long> CountRecordsAsync(string likePattern, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CountSql);
        command.Parameters.AddWithValue("prefix", likePattern);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Which of <paramref name="recordIds"/> are stored, and their patients.</summary>
    public async Task<IReadOnlyList<(string RecordId, Guid PatientId)>> FindVisibleAsync(string[] recordIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(VisibleSql);
        command.Parameters.AddWithValue("ids", recordIds);
        var found = new List<(string, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetString(0), reader.GetGuid(1)));
        }
        return found;
    }

    /// <summary>Streams every stored record of the run with its patient ID.</summary>
    public async Task ReadRunPatientsAsync(string likePattern, Action<string, Guid> onRecord, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        await using var command = dataSource.CreateCommand(RunPatientsSql);
        command.Parameters.AddWithValue("prefix", likePattern);
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            onRecord(reader.GetString(0), reader.GetGuid(1));
        }
    }
}
