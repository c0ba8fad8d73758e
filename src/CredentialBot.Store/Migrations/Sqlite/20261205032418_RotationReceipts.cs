using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RotationReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AskedAt",
                table: "SecretRemovals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastUsedAt",
                table: "SecretRemovals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RotationReceipts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AppObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AppKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    NewKeyId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CredentialName = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    RotatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RotatedByObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RotatedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Card = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    FirstUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RotationReceipts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RotationReceipts_AppObjectId_NewKeyId",
                table: "RotationReceipts",
                columns: new[] { "AppObjectId", "NewKeyId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RotationReceipts_FirstUsedAt_ClosedAt",
                table: "RotationReceipts",
                columns: new[] { "FirstUsedAt", "ClosedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RotationReceipts");

            // SQLite drops the column in place: EF's table rebuild would recreate the table from this migration's recorded
            // model, which misses what parallel branches added (MigrationTests undoes every migration to check).
            migrationBuilder.Sql("""ALTER TABLE "SecretRemovals" DROP COLUMN "AskedAt";""");

            migrationBuilder.Sql("""ALTER TABLE "SecretRemovals" DROP COLUMN "LastUsedAt";""");
        }
    }
}
