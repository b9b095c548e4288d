using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontakt.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class AuditRecordsWithoutForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "records_patient_key_fkey",
                schema: "phi",
                table: "records");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "records_patient_key_fkey",
                schema: "phi",
                table: "records",
                column: "patient_key",
                principalSchema: "phi",
                principalTable: "patients",
                principalColumn: "patient_key",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
