using Kontakt.Core.Records;
using Microsoft.EntityFrameworkCore;

namespace Kontakt.Core.Storage.Schema;

/// <summary>
/// The schema, owned by EF Core migrations. Two PostgreSQL schemas: <c>phi</c> holds every
/// column that identifies a person; <c>public_store</c> has no PHI column at all, so an
/// analyst role can be granted that schema alone. The hot path writes with COPY and SQL
/// (see <see cref="PostgresBatchWriter"/>), not through this context.
/// </summary>
public sealed class KontaktDbContext(DbContextOptions<KontaktDbContext> options) : DbContext(options)
{
    /// <summary>Schema of the PHI tables.</summary>
    public const string PhiSchema = "phi";

    /// <summary>Schema of the public (de-identified) tables.</summary>
    public const string PublicSchema = "public_store";

    /// <summary>Schema of API keys and the PHI access log: neither PHI nor for analysts.</summary>
    public const string SecuritySchema = "security";

    /// <summary>The identity index.</summary>
    public DbSet<PatientIdentity> Patients => Set<PatientIdentity>();

    /// <summary>The audit store.</summary>
    public DbSet<AuditRecord> Records => Set<AuditRecord>();

    /// <summary>Records accepted with 202 that were never stored.</summary>
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    /// <summary>Current public versions.</summary>
    public DbSet<PublicPatient> PublicPatients => Set<PublicPatient>();

    /// <summary>Closed public versions.</summary>
    public DbSet<PublicPatientVersion> PublicPatientHistory => Set<PublicPatientVersion>();

    /// <summary>API keys (hashes only).</summary>
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    /// <summary>The PHI access log.</summary>
    public DbSet<AccessEvent> AccessEvents => Set<AccessEvent>();

    /// <summary>Bulk import jobs.</summary>
    public DbSet<ImportJobRow> ImportJobs => Set<ImportJobRow>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<PatientIdentity>(patient =>
        {
            patient.ToTable("patients", PhiSchema);
            patient.HasKey(p => p.PatientKey).HasName("patients_pkey");
            patient.Property(p => p.PatientKey).HasColumnName("patient_key").UseIdentityAlwaysColumn();
            patient.Property(p => p.PatientId).HasColumnName("patient_id");
            patient.Property(p => p.NameKey).HasColumnName("name_key").UseCollation("C");
            patient.Property(p => p.Dob).HasColumnName("dob");
            patient.Property(p => p.CreatedAt).HasColumnName("created_at");
            patient.HasIndex(p => p.PatientId).IsUnique().HasDatabaseName("patients_patient_id_key");
            patient.HasIndex(p => new { p.NameKey, p.Dob }).IsUnique().HasDatabaseName("patients_identity_key");
        });

        modelBuilder.Entity<AuditRecord>(record =>
        {
            record.ToTable("records", PhiSchema);
            record.HasKey(r => r.RecordKey).HasName("records_pkey");
            record.Property(r => r.RecordKey).HasColumnName("record_key").UseIdentityAlwaysColumn();
            record.Property(r => r.Client).HasColumnName("client").UseCollation("C").HasMaxLength(RecordClients.MaxLength);
            record.Property(r => r.RecordId).HasColumnName("record_id").UseCollation("C").HasMaxLength(128);
            record.Property(r => r.PatientKey).HasColumnName("patient_key");
            record.Property(r => r.Name).HasColumnName("name");
            record.Property(r => r.Dob).HasColumnName("dob");
            record.Property(r => r.FavoriteColor).HasColumnName("favorite_color");
            record.Property(r => r.CreatedPatient).HasColumnName("created_patient");
            record.Property(r => r.ReceivedAt).HasColumnName("received_at");
            record.Property(r => r.CommittedAt).HasColumnName("committed_at");
            // RecordIds are unique per client; every lookup of one (the writer's retry probe, a record's status) names both.
            record.HasIndex(r => new { r.Client, r.RecordId }).IsUnique().HasDatabaseName("records_client_record_id_key");
            // AS-OF reads of one patient's audit trail: newest commit first, arrival order within a commit.
            record.HasIndex(r => new { r.PatientKey, r.CommittedAt, r.RecordKey }).HasDatabaseName("records_patient_committed_at");
            // No foreign key to phi.patients: the batch transaction resolves patient_key from phi.patients
            // itself, and the only patients ever deleted are orphans — created by that same batch for
            // records that all turned out to be retries or conflicts, so no audit row points at them
            // (BatchSql.ApplyBatch, "orphans"). The per-row check cost 16% of ingest throughput
            // (docs/benchmarks.md). A test checks that every audit row points at a patient.
        });

        modelBuilder.Entity<DeadLetter>(letter =>
        {
            letter.ToTable("dead_letters", PhiSchema, table =>
                table.HasCheckConstraint("dead_letters_code_check", "code IN ('conflict', 'refused', 'storage_unavailable')"));
            letter.HasKey(d => new { d.Client, d.RecordId }).HasName("dead_letters_pkey");
            letter.Property(d => d.Client).HasColumnName("client").UseCollation("C").HasMaxLength(RecordClients.MaxLength);
            letter.Property(d => d.RecordId).HasColumnName("record_id").UseCollation("C").HasMaxLength(128);
            letter.Property(d => d.Code).HasColumnName("code");
            letter.Property(d => d.Field).HasColumnName("field");
            letter.Property(d => d.Reason).HasColumnName("reason");
            letter.Property(d => d.ReceivedAt).HasColumnName("received_at");
            letter.Property(d => d.FailedAt).HasColumnName("failed_at");
        });

        modelBuilder.Entity<PublicPatient>(patient =>
        {
            patient.ToTable("patients", PublicSchema);
            patient.HasKey(p => p.PatientId).HasName("public_patients_pkey");
            patient.Property(p => p.PatientId).HasColumnName("patient_id").ValueGeneratedNever();
            patient.Property(p => p.FavoriteColor).HasColumnName("favorite_color");
            patient.Property(p => p.ValidFrom).HasColumnName("valid_from");
        });

        modelBuilder.Entity<PublicPatientVersion>(version =>
        {
            version.ToTable("patient_history", PublicSchema, table =>
                table.HasCheckConstraint("patient_history_period_check", "valid_from < valid_to"));
            version.HasKey(v => new { v.PatientId, v.ValidFrom }).HasName("patient_history_pkey");
            version.Property(v => v.PatientId).HasColumnName("patient_id");
            version.Property(v => v.FavoriteColor).HasColumnName("favorite_color");
            version.Property(v => v.ValidFrom).HasColumnName("valid_from");
            version.Property(v => v.ValidTo).HasColumnName("valid_to");
        });

        modelBuilder.Entity<CommitLogEntry>(entry =>
        {
            // The primary key's index answers max(committed_at) — the last stamp — from its right edge.
            entry.ToTable("commit_log", PublicSchema);
            entry.HasKey(e => e.CommittedAt).HasName("commit_log_pkey");
            entry.Property(e => e.CommittedAt).HasColumnName("committed_at").ValueGeneratedNever();
        });

        modelBuilder.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys", SecuritySchema, table =>
                table.HasCheckConstraint("api_keys_role_check", "role IN ('ingest', 'analyst', 'auditor', 'admin')"));
            key.HasKey(k => k.KeyId).HasName("api_keys_pkey");
            key.Property(k => k.KeyId).HasColumnName("key_id").UseIdentityAlwaysColumn();
            key.Property(k => k.Name).HasColumnName("key_name").UseCollation("C").HasMaxLength(100);
            key.Property(k => k.Role).HasColumnName("role");
            key.Property(k => k.KeyHash).HasColumnName("key_hash");
            key.Property(k => k.CreatedAt).HasColumnName("created_at");
            key.Property(k => k.LastUsedAt).HasColumnName("last_used_at");
            key.Property(k => k.RevokedAt).HasColumnName("revoked_at");
            key.HasIndex(k => k.KeyHash).IsUnique().HasDatabaseName("api_keys_key_hash_key");
            // A name is reused only after its key is revoked: revoking by name must find one key.
            key.HasIndex(k => k.Name).IsUnique().HasFilter("revoked_at IS NULL").HasDatabaseName("api_keys_active_key_name_key");
        });

        modelBuilder.Entity<AccessEvent>(access =>
        {
            access.ToTable("access_events", SecuritySchema);
            access.HasKey(a => a.EventId).HasName("access_events_pkey");
            access.Property(a => a.EventId).HasColumnName("event_id").UseIdentityAlwaysColumn();
            access.Property(a => a.OccurredAt).HasColumnName("occurred_at");
            access.Property(a => a.Actor).HasColumnName("actor").UseCollation("C");
            access.Property(a => a.Role).HasColumnName("role");
            access.Property(a => a.Action).HasColumnName("action");
            access.Property(a => a.PatientIds).HasColumnName("patient_ids");
            access.Property(a => a.ClientAddress).HasColumnName("client_address");
            access.Property(a => a.Outcome).HasColumnName("outcome");
            // Newest first, overall and per actor; "which accesses touched this patient" through the array index.
            access.HasIndex(a => a.OccurredAt).IsDescending().HasDatabaseName("access_events_occurred_at");
            access.HasIndex(a => new { a.Actor, a.OccurredAt }).IsDescending(false, true).HasDatabaseName("access_events_actor_occurred_at");
            access.HasIndex(a => a.PatientIds).HasMethod("gin").HasDatabaseName("access_events_patient_ids");
        });

        ImportJobsModel.Configure(modelBuilder);
    }
}
