using Microsoft.EntityFrameworkCore;

namespace Kontakt.Core.Storage.Schema;

/// <summary>The tables of bulk import jobs (Kontakt.Core/Imports), kept apart from the record tables' model.</summary>
internal static class ImportJobsModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ImportJobRow>(job =>
        {
            job.ToTable("import_jobs", KontaktDbContext.PhiSchema, table =>
                table.HasCheckConstraint("import_jobs_status_check", "status IN ('queued', 'running', 'completed', 'failed')"));
            job.HasKey(j => j.JobId).HasName("import_jobs_pkey");
            job.Property(j => j.JobId).HasColumnName("job_id").ValueGeneratedNever();
            job.Property(j => j.Client).HasColumnName("client").UseCollation("C");
            job.Property(j => j.Sha256).HasColumnName("sha256");
            job.Property(j => j.Format).HasColumnName("format");
            job.Property(j => j.IgnoreUnknownColumns).HasColumnName("ignore_unknown_columns");
            job.Property(j => j.Status).HasColumnName("status");
            job.Property(j => j.Bytes).HasColumnName("bytes");
            job.Property(j => j.Chunks).HasColumnName("chunks");
            job.Property(j => j.Received).HasColumnName("received");
            job.Property(j => j.Stored).HasColumnName("stored");
            job.Property(j => j.Rejected).HasColumnName("rejected");
            job.Property(j => j.CheckpointLine).HasColumnName("checkpoint_line");
            job.Property(j => j.CreatedAt).HasColumnName("created_at");
            job.Property(j => j.StartedAt).HasColumnName("started_at");
            job.Property(j => j.FinishedAt).HasColumnName("finished_at");
            job.Property(j => j.Reason).HasColumnName("reason");
            job.Property(j => j.LeaseOwner).HasColumnName("lease_owner");
            job.Property(j => j.LeaseUntil).HasColumnName("lease_until");
            // "This client sent this file before" on every upload.
            job.HasIndex(j => new { j.Client, j.Sha256 }).HasDatabaseName("import_jobs_client_sha256");
            // Runners look for unfinished jobs only.
            job.HasIndex(j => j.JobId).HasFilter("status IN ('queued', 'running')").HasDatabaseName("import_jobs_unfinished");
        });

        modelBuilder.Entity<ImportChunk>(chunk =>
        {
            chunk.ToTable("import_chunks", KontaktDbContext.PhiSchema);
            chunk.HasKey(c => new { c.JobId, c.Seq }).HasName("import_chunks_pkey");
            chunk.Property(c => c.JobId).HasColumnName("job_id");
            chunk.Property(c => c.Seq).HasColumnName("seq");
            chunk.Property(c => c.Data).HasColumnName("data");
        });

        modelBuilder.Entity<ImportError>(error =>
        {
            error.ToTable("import_errors", KontaktDbContext.PhiSchema);
            error.HasKey(e => new { e.JobId, e.Line, e.Field }).HasName("import_errors_pkey");
            error.Property(e => e.JobId).HasColumnName("job_id");
            error.Property(e => e.Line).HasColumnName("line");
            error.Property(e => e.Field).HasColumnName("field").UseCollation("C");
            error.Property(e => e.Reason).HasColumnName("reason");
        });
    }
}
