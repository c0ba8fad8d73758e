using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleOut : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CompletedAt",
                table: "Leases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OutboxRecipients",
                columns: table => new
                {
                    RecipientObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxRecipients", x => x.RecipientObjectId);
                });

            migrationBuilder.CreateTable(
                name: "SendBudgets",
                columns: table => new
                {
                    Tenant = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    NextSlotAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SendBudgets", x => x.Tenant);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_RecipientObjectId_Status",
                table: "Outbox",
                columns: new[] { "RecipientObjectId", "Status" });

            // Claims lock a person's row: everyone with messages already waiting needs one.
            migrationBuilder.Sql("""INSERT INTO "OutboxRecipients" ("RecipientObjectId") SELECT DISTINCT "RecipientObjectId" FROM "Outbox";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OutboxRecipients");

            migrationBuilder.DropTable(
                name: "SendBudgets");

            migrationBuilder.DropIndex(
                name: "IX_Outbox_RecipientObjectId_Status",
                table: "Outbox");

            // SQLite drops the column in place: EF's table rebuild would drop the search triggers with the old table and
            // recreate it from this migration's recorded model, which misses what parallel branches added.
            migrationBuilder.Sql("""ALTER TABLE "Leases" DROP COLUMN "CompletedAt";""");
        }
    }
}
