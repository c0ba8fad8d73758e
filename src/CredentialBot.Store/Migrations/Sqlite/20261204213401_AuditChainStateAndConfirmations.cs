using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditChainStateAndConfirmations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditChainState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    KeyedFromSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainState", x => x.Id);
                });

            // The keyed epoch starts after the last event written before this migration: those were hashed without
            // a key, every later one is MACed. verify-audit reports the boundary, and checkpoints repeat it.
            migrationBuilder.Sql("INSERT INTO \"AuditChainState\" (\"Id\", \"KeyedFromSequence\", \"KeyId\") SELECT 1, COALESCE(MAX(\"Sequence\"), 0) + 1, NULL FROM \"AuditEvents\";");

            migrationBuilder.CreateTable(
                name: "Confirmations",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ByObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Confirmations", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Confirmations_At",
                table: "Confirmations",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditChainState");

            migrationBuilder.DropTable(
                name: "Confirmations");
        }
    }
}
