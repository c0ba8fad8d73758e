using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
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
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OutboxRecipients",
                columns: table => new
                {
                    RecipientObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxRecipients", x => x.RecipientObjectId);
                });

            migrationBuilder.CreateTable(
                name: "SendBudgets",
                columns: table => new
                {
                    Tenant = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    NextSlotAt = table.Column<long>(type: "bigint", nullable: false)
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

            migrationBuilder.DropColumn(
                name: "CompletedAt",
                table: "Leases");
        }
    }
}
