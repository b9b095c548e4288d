using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontakt.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ImportJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "import_chunks",
                schema: "phi",
                columns: table => new
                {
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seq = table.Column<int>(type: "integer", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("import_chunks_pkey", x => new { x.job_id, x.seq });
                });

            migrationBuilder.CreateTable(
                name: "import_errors",
                schema: "phi",
                columns: table => new
                {
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    line = table.Column<long>(type: "bigint", nullable: false),
                    field = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    reason = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("import_errors_pkey", x => new { x.job_id, x.line, x.field });
                });

            migrationBuilder.CreateTable(
                name: "import_jobs",
                schema: "phi",
                columns: table => new
                {
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    ignore_unknown_columns = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false),
                    chunks = table.Column<int>(type: "integer", nullable: false),
                    received = table.Column<long>(type: "bigint", nullable: false),
                    stored = table.Column<long>(type: "bigint", nullable: false),
                    rejected = table.Column<long>(type: "bigint", nullable: false),
                    checkpoint_line = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: true),
                    lease_owner = table.Column<Guid>(type: "uuid", nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("import_jobs_pkey", x => x.job_id);
                    table.CheckConstraint("import_jobs_status_check", "status IN ('queued', 'running', 'completed', 'failed')");
                });

            migrationBuilder.CreateIndex(
                name: "import_jobs_client_sha256",
                schema: "phi",
                table: "import_jobs",
                columns: new[] { "client", "sha256" });

            migrationBuilder.CreateIndex(
                name: "import_jobs_unfinished",
                schema: "phi",
                table: "import_jobs",
                column: "job_id",
                filter: "status IN ('queued', 'running')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "import_chunks",
                schema: "phi");

            migrationBuilder.DropTable(
                name: "import_errors",
                schema: "phi");

            migrationBuilder.DropTable(
                name: "import_jobs",
                schema: "phi");
        }
    }
}
