namespace Kontakt.Core.Storage;

/// <summary>The statements of <c>phi.dead_letters</c> and of a record's status.</summary>
internal static class DeadLetterSql
{
    // A client's recordId already dead-lettered (a retried 202 that failed again) keeps its first entry.
    public const string Insert = """
        INSERT INTO phi.dead_letters (client, record_id, code, field, reason, received_at, failed_at)
        SELECT client, record_id, code, field, reason, received_at, now()
        FROM unnest(@clients, @record_ids, @codes, @fields, @reasons, @received_at) AS failed(client, record_id, code, field, reason, received_at)
        ON CONFLICT (client, record_id) DO NOTHING
        """;

    public const string Committed = """
        SELECT p.patient_id, r.created_patient, r.received_at, r.committed_at
        FROM phi.records r JOIN phi.patients p ON p.patient_key = r.patient_key
        WHERE r.client = @client AND r.record_id = @record_id
        """;

    public const string Failed = """
        SELECT code, field, reason, received_at, failed_at
        FROM phi.dead_letters
        WHERE client = @client AND record_id = @record_id
        """;
}
