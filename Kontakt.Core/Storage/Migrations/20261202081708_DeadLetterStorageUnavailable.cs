using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontakt.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class DeadLetterStorageUnavailable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "dead_letters_code_check",
                schema: "phi",
                table: "dead_letters");

            migrationBuilder.AddCheckConstraint(
                name: "dead_letters_code_check",
                schema: "phi",
                table: "dead_letters",
                sql: "code IN ('conflict', 'refused', 'storage_unavailable')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "dead_letters_code_check",
                schema: "phi",
                table: "dead_letters");

            migrationBuilder.AddCheckConstraint(
                name: "dead_letters_code_check",
                schema: "phi",
                table: "dead_letters",
                sql: "code IN ('conflict', 'refused')");
        }
    }
}
