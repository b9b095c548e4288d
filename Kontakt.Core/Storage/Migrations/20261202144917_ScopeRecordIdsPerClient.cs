using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontakt.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ScopeRecordIdsPerClient : Migration
    {
        // Kontakt.Core.Records.RecordClients.Legacy, written out: a migration must not change when the code does.
        private const string LegacyClient = "system:legacy";

        // RecordIds become unique per client (the API key's name, RecordClients). Rows stored before carry
        // no client, and none can be told afterwards: they get RecordClients.Legacy, a name no key can have
        // (it holds a ':'), so no key reads another's old record through GET /v1/records/{recordId}. Not the
        // embedded ingest key's name: with more than one key, that key would be handed every other key's
        // records, the very leak this closes. The cost: a recordId sent before the upgrade and retried after
        // it is stored as a new record of the same person (identity is name and birth date, so no new
        // patient), and its status before the upgrade is no key's. A constant default fills existing rows
        // without rewriting the table (PostgreSQL 11+); the default is dropped again so that every new row
        // must name its client.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "client",
                schema: "phi",
                table: "records",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: LegacyClient,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "client",
                schema: "phi",
                table: "dead_letters",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: LegacyClient,
                collation: "C");

            migrationBuilder.Sql("""
                ALTER TABLE phi.records ALTER COLUMN client DROP DEFAULT;
                ALTER TABLE phi.dead_letters ALTER COLUMN client DROP DEFAULT;
                """);

            migrationBuilder.CreateIndex(
                name: "records_client_record_id_key",
                schema: "phi",
                table: "records",
                columns: new[] { "client", "record_id" },
                unique: true);

            migrationBuilder.DropIndex(
                name: "records_record_id_key",
                schema: "phi",
                table: "records");

            migrationBuilder.DropPrimaryKey(
                name: "dead_letters_pkey",
                schema: "phi",
                table: "dead_letters");

            migrationBuilder.AddPrimaryKey(
                name: "dead_letters_pkey",
                schema: "phi",
                table: "dead_letters",
                columns: new[] { "client", "record_id" });
        }

        // Down fails (unique violation) once two clients have stored the same recordId: going back would
        // have to drop one of them, and an audit record is never dropped silently.
        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "records_client_record_id_key",
                schema: "phi",
                table: "records");

            migrationBuilder.DropPrimaryKey(
                name: "dead_letters_pkey",
                schema: "phi",
                table: "dead_letters");

            migrationBuilder.DropColumn(
                name: "client",
                schema: "phi",
                table: "records");

            migrationBuilder.DropColumn(
                name: "client",
                schema: "phi",
                table: "dead_letters");

            migrationBuilder.AddPrimaryKey(
                name: "dead_letters_pkey",
                schema: "phi",
                table: "dead_letters",
                column: "record_id");

            migrationBuilder.CreateIndex(
                name: "records_record_id_key",
                schema: "phi",
                table: "records",
                column: "record_id",
                unique: true);
        }
    }
}
