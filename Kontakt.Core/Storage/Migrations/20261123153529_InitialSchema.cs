using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kontakt.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "public_store");

            migrationBuilder.EnsureSchema(
                name: "phi");

            migrationBuilder.CreateTable(
                name: "commit_clock",
                schema: "public_store",
                columns: table => new
                {
                    id = table.Column<short>(type: "smallint", nullable: false),
                    last_commit = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("commit_clock_pkey", x => x.id);
                    table.CheckConstraint("commit_clock_single_row", "id = 1");
                });

            migrationBuilder.CreateTable(
                name: "patient_history",
                schema: "public_store",
                columns: table => new
                {
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    valid_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    favorite_color = table.Column<string>(type: "text", nullable: false),
                    valid_to = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("patient_history_pkey", x => new { x.patient_id, x.valid_from });
                    table.CheckConstraint("patient_history_period_check", "valid_from < valid_to");
                });

            migrationBuilder.CreateTable(
                name: "patients",
                schema: "phi",
                columns: table => new
                {
                    patient_key = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name_key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    dob = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("patients_pkey", x => x.patient_key);
                });

            migrationBuilder.CreateTable(
                name: "patients",
                schema: "public_store",
                columns: table => new
                {
                    patient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    favorite_color = table.Column<string>(type: "text", nullable: false),
                    valid_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("public_patients_pkey", x => x.patient_id);
                });

            migrationBuilder.CreateTable(
                name: "records",
                schema: "phi",
                columns: table => new
                {
                    record_key = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    record_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false, collation: "C"),
                    patient_key = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    dob = table.Column<DateOnly>(type: "date", nullable: false),
                    favorite_color = table.Column<string>(type: "text", nullable: false),
                    created_patient = table.Column<bool>(type: "boolean", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    committed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("records_pkey", x => x.record_key);
                    table.ForeignKey(
                        name: "records_patient_key_fkey",
                        column: x => x.patient_key,
                        principalSchema: "phi",
                        principalTable: "patients",
                        principalColumn: "patient_key",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                schema: "public_store",
                table: "commit_clock",
                columns: new[] { "id", "last_commit" },
                values: new object[] { (short)1, new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) });

            migrationBuilder.CreateIndex(
                name: "patients_identity_key",
                schema: "phi",
                table: "patients",
                columns: new[] { "name_key", "dob" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "patients_patient_id_key",
                schema: "phi",
                table: "patients",
                column: "patient_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "records_patient_committed_at",
                schema: "phi",
                table: "records",
                columns: new[] { "patient_key", "committed_at" });

            migrationBuilder.CreateIndex(
                name: "records_record_id_key",
                schema: "phi",
                table: "records",
                column: "record_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commit_clock",
                schema: "public_store");

            migrationBuilder.DropTable(
                name: "patient_history",
                schema: "public_store");

            migrationBuilder.DropTable(
                name: "patients",
                schema: "public_store");

            migrationBuilder.DropTable(
                name: "records",
                schema: "phi");

            migrationBuilder.DropTable(
                name: "patients",
                schema: "phi");
        }
    }
}
