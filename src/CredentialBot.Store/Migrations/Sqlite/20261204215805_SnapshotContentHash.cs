using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SnapshotContentHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Credentials_EndsAt",
                table: "Credentials");

            migrationBuilder.DropIndex(
                name: "IX_Apps_Kind_LastSeenAt",
                table: "Apps");

            migrationBuilder.AddColumn<long>(
                name: "ContentHash",
                table: "Apps",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops the column in place: EF's table rebuild would drop the search triggers with the old table and
            // recreate it from this migration's recorded model, which misses what parallel branches added.
            migrationBuilder.Sql("""ALTER TABLE "Apps" DROP COLUMN "ContentHash";""");

            migrationBuilder.CreateIndex(
                name: "IX_Credentials_EndsAt",
                table: "Credentials",
                column: "EndsAt");

            migrationBuilder.CreateIndex(
                name: "IX_Apps_Kind_LastSeenAt",
                table: "Apps",
                columns: new[] { "Kind", "LastSeenAt" });
        }
    }
}
