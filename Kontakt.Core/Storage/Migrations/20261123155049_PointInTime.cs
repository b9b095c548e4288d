using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontakt.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class PointInTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "records_patient_committed_at",
                schema: "phi",
                table: "records");

            migrationBuilder.CreateIndex(
                name: "records_patient_committed_at",
                schema: "phi",
                table: "records",
                columns: new[] { "patient_key", "committed_at", "record_key" });

            // The stable horizon: the latest system time T for which no in-flight batch can still add
            // versions. Writers stamp while holding advisory lock 21233143442926452 exclusively until they commit
            // (see CommitOrdering). If the lock is free, nothing is between stamping and committing,
            // and the next writer will stamp after this clock reading. If a writer holds it, its stamp
            // is later than the last committed one, which is therefore stable.
            migrationBuilder.Sql("""
                CREATE FUNCTION public_store.stable_horizon() RETURNS timestamptz
                LANGUAGE plpgsql VOLATILE AS $$
                DECLARE
                    horizon timestamptz;
                BEGIN
                    IF pg_try_advisory_xact_lock_shared(21233143442926452) THEN
                        SELECT greatest(last_commit, clock_timestamp() - interval '1 microsecond')
                        INTO horizon FROM public_store.commit_clock WHERE id = 1;
                    ELSE
                        SELECT last_commit INTO horizon FROM public_store.commit_clock WHERE id = 1;
                    END IF;
                    RETURN date_trunc('microseconds', horizon);
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION public_store.stable_horizon();");

            migrationBuilder.DropIndex(
                name: "records_patient_committed_at",
                schema: "phi",
                table: "records");

            migrationBuilder.CreateIndex(
                name: "records_patient_committed_at",
                schema: "phi",
                table: "records",
                columns: new[] { "patient_key", "committed_at" });
        }
    }
}
