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
            // versions. Batches stamp and commit in order under one advisory lock (CommitOrdering), so
            // once a stamp is committed every smaller stamp is committed too, and any batch still in
            // flight will stamp later. The last committed stamp is therefore always stable, needs no
            // lock, and does not depend on the wall clock.
            migrationBuilder.Sql("""
                CREATE FUNCTION public_store.stable_horizon() RETURNS timestamptz
                LANGUAGE sql STABLE AS $$
                    SELECT last_commit FROM public_store.commit_clock WHERE id = 1
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
