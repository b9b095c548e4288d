using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kontakt.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Security : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "security");

            migrationBuilder.AlterColumn<string>(
                name: "favorite_color",
                schema: "phi",
                table: "records",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "favorite_color",
                schema: "public_store",
                table: "patients",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "favorite_color",
                schema: "public_store",
                table: "patient_history",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.CreateTable(
                name: "access_events",
                schema: "security",
                columns: table => new
                {
                    event_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    role = table.Column<string>(type: "text", nullable: true),
                    action = table.Column<string>(type: "text", nullable: false),
                    patient_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    client_address = table.Column<string>(type: "text", nullable: true),
                    outcome = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("access_events_pkey", x => x.event_id);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                schema: "security",
                columns: table => new
                {
                    key_id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    key_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    role = table.Column<string>(type: "text", nullable: false),
                    key_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("api_keys_pkey", x => x.key_id);
                    table.CheckConstraint("api_keys_role_check", "role IN ('ingest', 'analyst', 'auditor', 'admin')");
                });

            migrationBuilder.CreateIndex(
                name: "access_events_actor_occurred_at",
                schema: "security",
                table: "access_events",
                columns: new[] { "actor", "occurred_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "access_events_occurred_at",
                schema: "security",
                table: "access_events",
                column: "occurred_at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "access_events_patient_ids",
                schema: "security",
                table: "access_events",
                column: "patient_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "api_keys_active_key_name_key",
                schema: "security",
                table: "api_keys",
                column: "key_name",
                unique: true,
                filter: "revoked_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "api_keys_key_hash_key",
                schema: "security",
                table: "api_keys",
                column: "key_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_events",
                schema: "security");

            migrationBuilder.DropTable(
                name: "api_keys",
                schema: "security");

            migrationBuilder.AlterColumn<string>(
                name: "favorite_color",
                schema: "phi",
                table: "records",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "favorite_color",
                schema: "public_store",
                table: "patients",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "favorite_color",
                schema: "public_store",
                table: "patient_history",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);
        }
    }
}
