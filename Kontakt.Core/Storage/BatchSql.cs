namespace Kontakt.Core.Storage;

/// <summary>The SQL of one ingest batch, in the order it runs inside one transaction.</summary>
internal static class BatchSql
{
    // Temp tables live as long as the writer's connection; ON COMMIT DELETE ROWS empties them per batch.
    // The statements below are prepared once per connection, so their plans are made for whatever
    // batch size came first and reused for every size after: every join must stay cheap at 1 row
    // and at 10,000 — hence no join between two CTEs. The temp tables carry no index on purpose:
    // ON COMMIT DELETE ROWS rebuilds a temp index at every commit, which invalidates the prepared
    // plans, and re-planning every batch cost more than the joins the index would have sped up.
    // Nor a TOAST table, for the same reason: emptying one at every commit truncates it and rebuilds
    // its index (half of the fixed cost of a batch, measured). A table gets none when all its text
    // columns have PLAIN storage, which PostgreSQL 15 can only give a new table through LIKE: hence
    // the *_shape tables, never written. PLAIN rows must fit in a page (8 kB); RecordValidator's and
    // RecordClients' length bounds keep a staged record well within one.
    // A 201 promises durability whatever the server's default: this writer's commits wait for the WAL flush.
    // A writer whose process stops mid-transaction (SIGSTOP, a GC pause, a partition) may hold the
    // commit-order lock, which every writer of every process needs: the server ends such a session
    // after 10 s idle in its transaction, releasing the lock; the stalled writer's batch is retried.
    public const string CreateStagingTables = """
        SET synchronous_commit = on;
        SET idle_in_transaction_session_timeout = '10s';
        CREATE TEMP TABLE IF NOT EXISTS kontakt_staging_shape (
            ord            integer     NOT NULL,
            client         text        COLLATE "C" NOT NULL,
            record_id      text        COLLATE "C" NOT NULL,
            name           text        NOT NULL,
            name_key       text        COLLATE "C" NOT NULL,
            dob            date        NOT NULL,
            favorite_color text,
            public_color   text,
            received_at    timestamptz NOT NULL
        );
        ALTER TABLE kontakt_staging_shape
            ALTER COLUMN client SET STORAGE PLAIN,
            ALTER COLUMN record_id SET STORAGE PLAIN,
            ALTER COLUMN name SET STORAGE PLAIN,
            ALTER COLUMN name_key SET STORAGE PLAIN,
            ALTER COLUMN favorite_color SET STORAGE PLAIN,
            ALTER COLUMN public_color SET STORAGE PLAIN;
        CREATE TEMP TABLE IF NOT EXISTS kontakt_staging (LIKE kontakt_staging_shape INCLUDING ALL) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS kontakt_identity_shape (
            name_key    text    COLLATE "C" NOT NULL,
            dob         date    NOT NULL,
            patient_key bigint  NOT NULL,
            patient_id  uuid    NOT NULL,
            created     boolean NOT NULL
        );
        ALTER TABLE kontakt_identity_shape ALTER COLUMN name_key SET STORAGE PLAIN;
        CREATE TEMP TABLE IF NOT EXISTS kontakt_identity (LIKE kontakt_identity_shape INCLUDING ALL) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS kontakt_outcomes (
            ord         integer     NOT NULL,
            patient_id  uuid,
            new_patient boolean,
            received_at timestamptz,
            replayed    boolean     NOT NULL,
            conflict    boolean     NOT NULL
        ) ON COMMIT DELETE ROWS;
        """;

    public const string CopyStaging = """
        COPY kontakt_staging (ord, client, record_id, name, name_key, dob, favorite_color, public_color, received_at) FROM STDIN (FORMAT BINARY)
        """;

    // Lookups into the big tables are written as LATERAL ... LIMIT 1 so they can only run as one
    // index probe per staged row: left to itself the planner hashes the whole of phi.records
    // (a sequential scan that grows with the table) to match a few thousand staged rows.
    //
    // Identity resolution, three statements, all in this transaction:
    // 1. ResolvePatients: people already known (most returning records) are looked up; no insert attempted;
    // 2. InsertNewPatients: the rest get a random ID. Key order keeps two concurrent batches from
    //    deadlocking on each other's new rows; ON CONFLICT makes the unique index the referee.
    //    A retry (the client's recordId already stored) finds its person in step 1. The rare one that does not —
    //    the recordId was stored for someone else by the same client — may create a person here: ApplyBatch removes
    //    every person left without a record (orphans), in the same transaction. Cheaper than looking
    //    every staged recordId up once more here;
    // 3. ResolvePatients again: a new statement, so its snapshot sees people a concurrent batch
    //    committed while statement 2 waited on the unique index, and picks up whoever 2 skipped.
    public const string ResolvePatients = """
        INSERT INTO kontakt_identity (name_key, dob, patient_key, patient_id, created)
        SELECT s.name_key, s.dob, p.patient_key, p.patient_id, false
        FROM (SELECT DISTINCT name_key, dob FROM kontakt_staging) s
        CROSS JOIN LATERAL (
            SELECT p.patient_key, p.patient_id FROM phi.patients p WHERE p.name_key = s.name_key AND p.dob = s.dob LIMIT 1
        ) p
        WHERE NOT EXISTS (SELECT 1 FROM kontakt_identity i WHERE i.name_key = s.name_key AND i.dob = s.dob)
        """;

    public const string InsertNewPatients = """
        WITH wanted AS (
            SELECT DISTINCT s.name_key, s.dob
            FROM kontakt_staging s
            WHERE NOT EXISTS (SELECT 1 FROM kontakt_identity i WHERE i.name_key = s.name_key AND i.dob = s.dob)
        ), inserted AS (
            INSERT INTO phi.patients (patient_id, name_key, dob, created_at)
            SELECT gen_random_uuid(), w.name_key, w.dob, now()
            FROM wanted w
            ORDER BY w.name_key, w.dob
            ON CONFLICT (name_key, dob) DO NOTHING
            RETURNING patient_key, patient_id, name_key, dob
        )
        INSERT INTO kontakt_identity (name_key, dob, patient_key, patient_id, created)
        SELECT name_key, dob, patient_key, patient_id, true FROM inserted
        """;

    public const string TakeCommitLock = "SELECT pg_advisory_xact_lock(@lock_key)";

    // Monotonic even if the wall clock steps back: never at or before the previous batch's stamp.
    // Taken under TakeCommitLock; the whole AS-OF rule is at CommitOrdering. Appended, never updated:
    // max() is one probe at the right edge of the primary key, however long another session's snapshot
    // is held (an updated row left a chain of dead versions that snapshot kept, walked by every stamp).
    public const string StampCommit = """
        INSERT INTO public_store.commit_log (committed_at)
        SELECT greatest(clock_timestamp(), (SELECT max(committed_at) FROM public_store.commit_log) + interval '1 microsecond')
        """;

    // One statement, one snapshot: "closed" reads the current rows as they were before
    // "current" updates them. Only the last record of a patient in the batch that carries a color
    // sets the public color (arrival order), in its canonical form; every record is kept in the
    // audit store with the color as sent. A color is optional: a new patient without one gets a
    // public row with a null color, a returning one keeps the current color and no new version.
    public const string ApplyBatch = $$"""
        WITH stamp AS (
            -- This batch's own stamp: the last entry, appended by StampCommit under the lock.
            SELECT max(committed_at) AS at FROM public_store.commit_log
        ), incoming AS (
            SELECT s.ord, s.client, s.record_id, s.name, s.name_key, s.dob, s.favorite_color, s.public_color, s.received_at,
                   i.patient_key, i.patient_id, i.created,
                   known.stored IS NOT NULL AS stored_before,
                   row_number() OVER (PARTITION BY s.client, s.record_id ORDER BY s.ord) AS record_id_rank
            FROM kontakt_staging s
            LEFT JOIN kontakt_identity i ON i.name_key = s.name_key AND i.dob = s.dob
            LEFT JOIN LATERAL (
                SELECT true AS stored FROM phi.records r WHERE r.client = s.client AND r.record_id = s.record_id LIMIT 1
            ) known ON true
        ), fresh AS (
            SELECT n.ord, n.client, n.record_id, n.name, n.name_key, n.dob, n.favorite_color, n.public_color, n.received_at,
                   n.patient_key, n.patient_id, n.created,
                   n.created AND n.ord = min(n.ord) OVER (PARTITION BY n.patient_key) AS new_patient
            FROM incoming n
            WHERE n.record_id_rank = 1 AND NOT n.stored_before
        ), audited AS (
            INSERT INTO phi.records (client, record_id, patient_key, name, dob, favorite_color, created_patient, received_at, committed_at)
            SELECT f.client, f.record_id, f.patient_key, f.name, f.dob, f.favorite_color, f.new_patient, f.received_at, stamp.at
            FROM fresh f CROSS JOIN stamp
            ORDER BY f.ord
        ), latest_color AS (
            SELECT DISTINCT ON (f.patient_id) f.patient_id, f.public_color, f.created
            FROM fresh f
            ORDER BY f.patient_id, f.public_color IS NULL, f.ord DESC
        ), closed AS (
            INSERT INTO public_store.patient_history (patient_id, favorite_color, valid_from, valid_to)
            SELECT l.patient_id, c.favorite_color, c.valid_from, stamp.at
            FROM latest_color l
            CROSS JOIN LATERAL (
                SELECT c.favorite_color, c.valid_from FROM public_store.patients c WHERE c.patient_id = l.patient_id LIMIT 1
            ) c
            CROSS JOIN stamp
            WHERE NOT l.created AND l.public_color IS NOT NULL AND c.favorite_color IS DISTINCT FROM l.public_color
        ), orphans AS (
            -- A person created for records that all turned out to be retries or conflicts (a client's recordId
            -- stored before for someone else, or reused within this batch for someone else)
            -- must not stay behind without an audit trail. One aggregate over the staged rows: no join
            -- between CTEs, so the prepared plan stays linear at any batch size.
            DELETE FROM phi.patients p
            USING (
                SELECT n.patient_key
                FROM incoming n
                GROUP BY n.patient_key
                HAVING bool_or(n.created) AND NOT bool_or(n.record_id_rank = 1 AND NOT n.stored_before)
            ) orphan
            WHERE p.patient_key = orphan.patient_key
        ), first_version AS (
            -- A person created by this transaction cannot have a public row yet: a plain insert.
            INSERT INTO public_store.patients (patient_id, favorite_color, valid_from)
            SELECT l.patient_id, l.public_color, stamp.at
            FROM latest_color l CROSS JOIN stamp
            WHERE l.created
        ), current AS (
            INSERT INTO public_store.patients (patient_id, favorite_color, valid_from)
            SELECT l.patient_id, l.public_color, stamp.at
            FROM latest_color l CROSS JOIN stamp
            WHERE NOT l.created AND l.public_color IS NOT NULL
            ON CONFLICT (patient_id) DO UPDATE
                SET favorite_color = excluded.favorite_color, valid_from = excluded.valid_from
                WHERE public_store.patients.favorite_color IS DISTINCT FROM excluded.favorite_color
        ), answer ({{ApplyResult.Columns}}) AS (
        SELECT f.ord, f.patient_id, f.new_patient, f.received_at, false, false
        FROM fresh f
        UNION ALL
        -- Retries: a client's recordId stored before answers with the stored result; one repeated
        -- within this batch answers with its first occurrence's — but only if the content (person and
        -- color as sent, either of them possibly null) is the same: otherwise it is a conflict, and
        -- no patient ID is given out.
        -- Rare, so per-row lookups are fine.
        SELECT n.ord, original.patient_id, original.new_patient, original.received_at, true,
               original.name_key <> n.name_key OR original.dob <> n.dob OR original.favorite_color IS DISTINCT FROM n.favorite_color AS conflict
        FROM incoming n
        CROSS JOIN LATERAL (
            SELECT p.patient_id, r.created_patient AS new_patient, r.received_at, p.name_key, p.dob, r.favorite_color
            FROM phi.records r JOIN phi.patients p ON p.patient_key = r.patient_key
            WHERE n.stored_before AND r.client = n.client AND r.record_id = n.record_id
            UNION ALL
            SELECT f.patient_id, f.new_patient, f.received_at, f.name_key, f.dob, f.favorite_color
            FROM fresh f
            WHERE NOT n.stored_before AND f.client = n.client AND f.record_id = n.record_id
            LIMIT 1
        ) original
        WHERE n.stored_before OR n.record_id_rank > 1
        )
        INSERT INTO kontakt_outcomes ({{ApplyResult.Columns}})
        SELECT {{ApplyResult.Columns}} FROM answer
        """;

    // The outcomes travel to this process only after COMMIT has released the commit-order lock: a
    // holdable cursor is materialized in the server at COMMIT (before ON COMMIT DELETE ROWS empties
    // kontakt_outcomes) and fetched afterwards. A process that stops reading (SIGSTOP, a GC pause, a
    // partition) then blocks only its own session, never the lock every writer needs.
    public const string DeclareOutcomes = $"DECLARE {OutcomesCursor} CURSOR WITH HOLD FOR SELECT {ApplyResult.Columns} FROM kontakt_outcomes";

    // In the same round trip as the statements before it. A failure earlier in the batch makes the
    // server skip it and everything after; the transaction is then rolled back, nothing was stored.
    public const string Commit = "COMMIT";

    public const string FetchOutcomes = $"FETCH ALL FROM {OutcomesCursor}";

    public const string CloseOutcomes = $"CLOSE {OutcomesCursor}";

    private const string OutcomesCursor = "kontakt_outcomes_cursor";

    /// <summary>
    /// The statements of one batch after its COPY, in the order they run in one round trip. Only
    /// <see cref="TakeCommitLock"/> and <see cref="FetchOutcomes"/> return rows, so the reader steps over
    /// result sets by position in this list.
    /// </summary>
    public static readonly IReadOnlyList<BatchStatement> ApplyStatements =
    [
        new(ResolvePatients, ReturnsRows: false),
        new(InsertNewPatients, ReturnsRows: false),
        new(ResolvePatients, ReturnsRows: false),
        new(TakeCommitLock, ReturnsRows: true),
        new(StampCommit, ReturnsRows: false),
        new(ApplyBatch, ReturnsRows: false),
        new(DeclareOutcomes, ReturnsRows: false),
        new(Commit, ReturnsRows: false),
        new(FetchOutcomes, ReturnsRows: true),
        new(CloseOutcomes, ReturnsRows: false),
    ];

    /// <summary>How many result sets come before the outcomes': the reader skips exactly these.</summary>
    public static int ResultSetsBeforeOutcomes { get; } =
        ApplyStatements.TakeWhile(s => s.Sql != FetchOutcomes).Count(s => s.ReturnsRows);
}

/// <summary>One statement of a batch, and whether it answers with a result set.</summary>
internal sealed record BatchStatement(string Sql, bool ReturnsRows);

/// <summary>
/// The columns of <see cref="BatchSql.ApplyBatch"/>'s outcome rows: its INSERT and the outcomes cursor are built from
/// <see cref="Columns"/>, and PostgresBatchWriter reads by these ordinals after checking the names.
/// </summary>
internal static class ApplyResult
{
    public const string Columns = "ord, patient_id, new_patient, received_at, replayed, conflict";

    public const int Ord = 0;
    public const int PatientId = 1;
    public const int NewPatient = 2;
    public const int ReceivedAt = 3;
    public const int Replayed = 4;
    public const int Conflict = 5;

    public static IReadOnlyList<string> Names { get; } = Columns.Split(", ");

    /// <summary>Throws <see cref="BatchShapeException"/> unless the reader's columns are these, in this order.</summary>
    public static void CheckShape(System.Data.Common.DbDataReader reader)
    {
        if (reader.FieldCount != Names.Count)
        {
            throw new BatchShapeException($"The batch's result has {reader.FieldCount} columns; the writer reads {Names.Count} ({Columns}).");
        }
        for (var i = 0; i < Names.Count; i++)
        {
            if (reader.GetName(i) != Names[i])
            {
                throw new BatchShapeException($"The batch's result column {i} is \"{reader.GetName(i)}\"; the writer reads \"{Names[i]}\" there.");
            }
        }
    }
}
