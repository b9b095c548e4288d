namespace Kontakt.Core.Imports;

/// <summary>The statements of import jobs (<c>phi.import_jobs</c>, <c>phi.import_chunks</c>, <c>phi.import_errors</c>).</summary>
internal static class ImportJobSql
{
    private const string JobColumns = """
        job_id, client, format, status, bytes, received, stored, rejected, created_at, started_at, finished_at, reason
        """;

    public const string InsertChunk = "INSERT INTO phi.import_chunks (job_id, seq, data) VALUES (@job_id, @seq, @data)";

    // Two identical uploads of one client racing each other: the second waits for the first to commit, then finds it.
    public const string LockClientFile = "SELECT pg_advisory_xact_lock(hashtextextended(@client || ':' || encode(@sha256, 'hex'), 0))";

    public const string FindSameFile = $"""
        SELECT {JobColumns} FROM phi.import_jobs
        WHERE client = @client AND sha256 = @sha256
        ORDER BY job_id
        LIMIT 1
        """;

    public const string InsertJob = """
        INSERT INTO phi.import_jobs (job_id, client, sha256, format, ignore_unknown_columns, status, bytes, chunks,
                                     received, stored, rejected, checkpoint_line, created_at)
        VALUES (@job_id, @client, @sha256, @format, @ignore_unknown_columns, 'queued', @bytes, @chunks, 0, 0, 0, 0, now())
        """;

    public const string Find = $"SELECT {JobColumns} FROM phi.import_jobs WHERE job_id = @job_id";

    // Newest first; the continuation is the last job of the previous page (job IDs are UUIDv7 in creation order: ImportJobIds).
    public const string List = $"""
        SELECT {JobColumns} FROM phi.import_jobs
        WHERE (@client::text IS NULL OR client = @client)
          AND (@after::uuid IS NULL OR job_id < @after)
        ORDER BY job_id DESC
        LIMIT @limit
        """;

    public const string Cancel = $"""
        UPDATE phi.import_jobs
        SET status = 'failed', reason = @reason, finished_at = now(), lease_owner = NULL, lease_until = NULL
        WHERE job_id = @job_id AND status IN ('queued', 'running')
        RETURNING {JobColumns}
        """;

    public const string DeleteChunks = "DELETE FROM phi.import_chunks WHERE job_id = @job_id";

    public const string Errors = "SELECT line, field, reason FROM phi.import_errors WHERE job_id = @job_id ORDER BY line, field";

    // Oldest unfinished job no live process holds. SKIP LOCKED: processes claiming together take different jobs.
    public const string Claim = """
        UPDATE phi.import_jobs j
        SET status = 'running', started_at = coalesce(j.started_at, now()),
            lease_owner = @owner, lease_until = now() + @lease
        FROM (
            SELECT job_id FROM phi.import_jobs
            WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < now())
            ORDER BY job_id
            LIMIT 1
            FOR UPDATE SKIP LOCKED
        ) free
        WHERE j.job_id = free.job_id
        RETURNING j.job_id, j.client, j.format, j.ignore_unknown_columns, j.chunks, j.checkpoint_line
        """;

    public const string Renew = """
        UPDATE phi.import_jobs SET lease_until = now() + @lease
        WHERE job_id = @job_id AND lease_owner = @owner AND status = 'running'
        """;

    public const string InsertErrors = """
        INSERT INTO phi.import_errors (job_id, line, field, reason)
        SELECT @job_id, line, field, reason FROM unnest(@lines, @fields, @reasons) AS e(line, field, reason)
        ON CONFLICT (job_id, line, field) DO NOTHING
        """;

    public const string Checkpoint = """
        UPDATE phi.import_jobs
        SET checkpoint_line = @line, received = received + @received, stored = stored + @stored,
            rejected = rejected + @rejected, lease_until = now() + @lease
        WHERE job_id = @job_id AND lease_owner = @owner AND status = 'running'
        """;

    public const string Complete = """
        UPDATE phi.import_jobs
        SET status = 'completed', finished_at = now(), lease_owner = NULL, lease_until = NULL
        WHERE job_id = @job_id AND lease_owner = @owner AND status = 'running'
        """;

    // A process stopping gracefully hands its job back at once instead of holding it for the lease.
    public const string Release = """
        UPDATE phi.import_jobs SET lease_owner = NULL, lease_until = NULL
        WHERE job_id = @job_id AND lease_owner = @owner AND status = 'running'
        """;

    public const string ReadChunk = "SELECT data FROM phi.import_chunks WHERE job_id = @job_id AND seq = @seq";
}
