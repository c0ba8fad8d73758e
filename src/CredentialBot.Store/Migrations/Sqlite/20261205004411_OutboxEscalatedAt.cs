using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboxEscalatedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EscalatedAt",
                table: "Outbox",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops the column in place: EF's table rebuild would drop the search triggers with the old table and
            // recreate it from this migration's recorded model, which misses what parallel branches added.
            migrationBuilder.Sql("""ALTER TABLE "Outbox" DROP COLUMN "EscalatedAt";""");
        }
    }
}
