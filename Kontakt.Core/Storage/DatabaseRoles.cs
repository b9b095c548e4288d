using Kontakt.Core.Storage.Schema;
using Npgsql;

namespace Kontakt.Core.Storage;

/// <summary>
/// The database roles besides the schema owner: the runtime role the service works as (granted
/// exactly <see cref="RuntimeTables"/>, no DDL), and the read-only <see cref="AnalystRole"/> for
/// direct SQL on <c>public_store</c>. Role names reach SQL only as values (set_config) quoted by
/// the server's <c>format('%I')</c>; never concatenated here.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>The runtime login role of the embedded cluster.</summary>
    public const string EmbeddedRuntimeRole = "kontakt_app";

    /// <summary>A NOLOGIN role with SELECT on <c>public_store</c> only; grant it to people who query directly.</summary>
    public const string AnalystRole = "kontakt_analyst";

    // Serializes GRANTs of processes starting together: concurrent GRANTs on one object fail with
    // "tuple concurrently updated". ("KontRole" in ASCII; CommitOrdering uses another key.)
    private const long GrantLockKey = 0x4B6F6E74526F6C65;

    /// <summary>The schemas the runtime role works in (USAGE, their sequences and functions).</summary>
    public static IReadOnlyList<string> RuntimeSchemas { get; } =
        [KontaktDbContext.PhiSchema, KontaktDbContext.PublicSchema, KontaktDbContext.SecuritySchema];

    /// <summary>
    /// Every table of <see cref="RuntimeSchemas"/> and what the runtime role may do with it. A new
    /// table needs an entry here (a test checks that none is missing); no entry means no access.
    /// </summary>
    public static IReadOnlyList<TablePrivileges> RuntimeTables { get; } =
    [
        // DELETE: a person created for records that all turned out to be retries is removed in the same batch (BatchSql.ApplyBatch).
        new(KontaktDbContext.PhiSchema, "patients", TableAccess.Select | TableAccess.Insert | TableAccess.Delete),
        // The audit trail: written once, never changed.
        new(KontaktDbContext.PhiSchema, "records", TableAccess.Select | TableAccess.Insert),
        // Records accepted with 202 and never stored (reason only, no value): written once, never changed.
        new(KontaktDbContext.PhiSchema, "dead_letters", TableAccess.Select | TableAccess.Insert),
        // Import jobs: UPDATE for progress, lease and status; a finished job's file (chunks) is deleted; errors are append-only.
        new(KontaktDbContext.PhiSchema, "import_jobs", TableAccess.Select | TableAccess.Insert | TableAccess.Update),
        new(KontaktDbContext.PhiSchema, "import_chunks", TableAccess.Select | TableAccess.Insert | TableAccess.Delete),
        new(KontaktDbContext.PhiSchema, "import_errors", TableAccess.Select | TableAccess.Insert),
        // UPDATE: the current version changes in place (INSERT ... ON CONFLICT DO UPDATE); the old one goes to history.
        new(KontaktDbContext.PublicSchema, "patients", TableAccess.Select | TableAccess.Insert | TableAccess.Update),
        new(KontaktDbContext.PublicSchema, "patient_history", TableAccess.Select | TableAccess.Insert),
        // The commit stamps: appended, never changed (CommitOrdering).
        new(KontaktDbContext.PublicSchema, "commit_log", TableAccess.Select | TableAccess.Insert),
        // UPDATE: last-used time and revocation.
        new(KontaktDbContext.SecuritySchema, "api_keys", TableAccess.Select | TableAccess.Insert | TableAccess.Update),
        // The PHI access log is append-only: never UPDATE or DELETE.
        new(KontaktDbContext.SecuritySchema, "access_events", TableAccess.Select | TableAccess.Insert),
    ];

    private const string SetRuntimeGrantSettings = """
        SELECT pg_advisory_xact_lock(@lock_key),
               set_config('kontakt.grant_role', @role, true),
               set_config('kontakt.grant_schemas', array_to_string(@schemas, ','), true),
               set_config('kontakt.grant_tables', (
                   SELECT jsonb_agg(jsonb_build_object('schema_name', s, 'table_name', t, 'privileges', string_to_array(p, ',')))::text
                   FROM unnest(@table_schemas, @table_names, @table_privileges) AS entry(s, t, p)), true)
        """;

    // Database and schemas first, then each listed table that exists: everything revoked, then
    // exactly the listed privileges granted, so a privilege removed from the list is removed from
    // the role at the next start. CONNECT and TEMPORARY: the writer stages each batch in temp tables.
    private const string GrantRuntime = """
        DO $grant$
        DECLARE
            grantee text := current_setting('kontakt.grant_role');
            schema_name text;
            entry record;
            privilege text;
        BEGIN
            EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), grantee);
            FOREACH schema_name IN ARRAY string_to_array(current_setting('kontakt.grant_schemas'), ',') LOOP
                CONTINUE WHEN to_regnamespace(quote_ident(schema_name)) IS NULL;
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', schema_name, grantee);
                EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', schema_name, grantee);
                EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I', schema_name, grantee);
            END LOOP;
            FOR entry IN
                SELECT * FROM jsonb_to_recordset(current_setting('kontakt.grant_tables')::jsonb)
                    AS t(schema_name text, table_name text, privileges text[])
            LOOP
                CONTINUE WHEN to_regclass(format('%I.%I', entry.schema_name, entry.table_name)) IS NULL;
                EXECUTE format('REVOKE ALL ON TABLE %I.%I FROM %I', entry.schema_name, entry.table_name, grantee);
                FOREACH privilege IN ARRAY entry.privileges LOOP
                    IF privilege NOT IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE') THEN
                        RAISE EXCEPTION 'unknown table privilege %', privilege;
                    END IF;
                    EXECUTE format('GRANT %s ON TABLE %I.%I TO %I', privilege, entry.schema_name, entry.table_name, grantee);
                END LOOP;
            END LOOP;
        END
        $grant$
        """;

    private const string SetAnalystGrantSettings = """
        SELECT pg_advisory_xact_lock(@lock_key),
               set_config('kontakt.grant_role', @role, true),
               set_config('kontakt.grant_schemas', @schema, true)
        """;

    // The role is cluster-wide: made here only when this login may make roles (otherwise a DBA
    // makes it, docs/database-roles.md). Processes starting on several databases at once may race
    // to create it. Default privileges cover tables the owner (this login) creates later.
    private const string GrantAnalyst = """
        DO $grant$
        DECLARE
            grantee text := current_setting('kontakt.grant_role');
            schema_name text := current_setting('kontakt.grant_schemas');
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = grantee) THEN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
                    RETURN;
                END IF;
                BEGIN
                    EXECUTE format('CREATE ROLE %I NOLOGIN', grantee);
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    NULL;
                END;
            END IF;
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), grantee);
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', schema_name, grantee);
            EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', schema_name, grantee);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I', schema_name, grantee);
        END
        $grant$
        """;

    private const string SetLoginSettings = """
        SELECT set_config('kontakt.login_role', @role, true),
               set_config('kontakt.login_password', @password, true)
        """;

    // The password reaches the statement as a literal quoted by format('%L'): CREATE/ALTER ROLE
    // take no parameters. Transaction-local settings vanish at COMMIT.
    private const string CreateOrRefreshLogin = """
        DO $login$
        DECLARE
            login_role text := current_setting('kontakt.login_role');
            attributes text := 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login_role) THEN
                EXECUTE format('ALTER ROLE %I WITH %s PASSWORD %L', login_role, attributes, current_setting('kontakt.login_password'));
            ELSE
                EXECUTE format('CREATE ROLE %I WITH %s PASSWORD %L', login_role, attributes, current_setting('kontakt.login_password'));
            END IF;
        END
        $login$
        """;

    /// <summary>
    /// Grants <paramref name="roleName"/> exactly <see cref="RuntimeTables"/> (for the tables that
    /// exist), USAGE on <see cref="RuntimeSchemas"/>, their sequences and functions, and CONNECT and
    /// TEMPORARY on the database. Run as the schema owner after every migration; idempotent.
    /// </summary>
    public static async Task GrantRuntimeAsync(NpgsqlDataSource owner, string roleName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand(SetRuntimeGrantSettings, connection, transaction))
        {
            settings.Parameters.AddWithValue("lock_key", GrantLockKey);
            settings.Parameters.AddWithValue("role", roleName);
            settings.Parameters.AddWithValue("schemas", RuntimeSchemas.ToArray());
            settings.Parameters.AddWithValue("table_schemas", RuntimeTables.Select(t => t.Schema).ToArray());
            settings.Parameters.AddWithValue("table_names", RuntimeTables.Select(t => t.Table).ToArray());
            settings.Parameters.AddWithValue("table_privileges", RuntimeTables.Select(t => string.Join(',', t.Keywords())).ToArray());
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var grant = new NpgsqlCommand(GrantRuntime, connection, transaction))
        {
            await grant.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Grants <see cref="AnalystRole"/> SELECT on every present and future table of <c>public_store</c>,
    /// creating the role (NOLOGIN) if this login may. Returns false when the role neither exists nor could be made.
    /// </summary>
    public static async Task<bool> GrantAnalystAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand(SetAnalystGrantSettings, connection, transaction))
        {
            settings.Parameters.AddWithValue("lock_key", GrantLockKey);
            settings.Parameters.AddWithValue("role", AnalystRole);
            settings.Parameters.AddWithValue("schema", KontaktDbContext.PublicSchema);
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var grant = new NpgsqlCommand(GrantAnalyst, connection, transaction))
        {
            await grant.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)", connection, transaction);
        exists.Parameters.AddWithValue("role", AnalystRole);
        var granted = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return granted;
    }

    /// <summary>
    /// Creates the login role <paramref name="roleName"/> with <paramref name="password"/>, or
    /// refreshes an existing one's password; either way without superuser, role or database
    /// creation rights. Needs a connection allowed to manage roles.
    /// </summary>
    public static async Task CreateOrRefreshLoginAsync(NpgsqlConnection admin, string roleName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        await using var transaction = await admin.BeginTransactionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand(SetLoginSettings, admin, transaction))
        {
            settings.Parameters.AddWithValue("role", roleName);
            settings.Parameters.AddWithValue("password", password);
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var create = new NpgsqlCommand(CreateOrRefreshLogin, admin, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Whether the data source's login is a superuser.</summary>
    public static async Task<bool> IsSuperuserAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
