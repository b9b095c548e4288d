using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontakt.Core.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CommitLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commit_log",
                schema: "public_store",
                columns: table => new
                {
                    committed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("commit_log_pkey", x => x.committed_at);
                });

            // The clock's last stamp becomes the log's first entry, so stamps keep increasing across the
            // upgrade; then the horizon reads the log (the last committed stamp, as before).
            migrationBuilder.Sql("""
                INSERT INTO public_store.commit_log (committed_at) SELECT last_commit FROM public_store.commit_clock;
                CREATE OR REPLACE FUNCTION public_store.stable_horizon() RETURNS timestamptz
                LANGUAGE sql STABLE AS $$
                    SELECT max(committed_at) FROM public_store.commit_log
                $$;
                """);

            migrationBuilder.DropTable(
                name: "commit_clock",
                schema: "public_store");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.InsertData(
                schema: "public_store",
                table: "commit_clock",
                columns: new[] { "id", "last_commit" },
                values: new object[] { (short)1, new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)) });

            migrationBuilder.Sql("""
                UPDATE public_store.commit_clock SET last_commit = (SELECT max(committed_at) FROM public_store.commit_log) WHERE id = 1;
                CREATE OR REPLACE FUNCTION public_store.stable_horizon() RETURNS timestamptz
                LANGUAGE sql STABLE AS $$
                    SELECT last_commit FROM public_store.commit_clock WHERE id = 1
                $$;
                """);

            migrationBuilder.DropTable(
                name: "commit_log",
                schema: "public_store");
        }
    }
}
