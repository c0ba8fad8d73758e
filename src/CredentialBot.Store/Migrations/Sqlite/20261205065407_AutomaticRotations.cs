using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AutomaticRotations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AutomaticRotationDays",
                table: "Policies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AutomaticRotationUseWindowDays",
                table: "Policies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AutomaticRotations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AppObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AppKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OldKeyId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    OldCredentialName = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    OldEndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PolicyName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Marker = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    NewKeyId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    NewEndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VaultSecretId = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Problem = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ToldAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RemovalScheduledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutomaticRotations", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AutomaticRotations_AppObjectId_OldKeyId",
                table: "AutomaticRotations",
                columns: new[] { "AppObjectId", "OldKeyId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AutomaticRotations_State",
                table: "AutomaticRotations",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AutomaticRotations");

            // SQLite drops the column in place: EF's table rebuild would recreate the table from this migration's recorded
            // model, which misses what parallel branches added (MigrationTests undoes every migration to check).
            migrationBuilder.Sql("""ALTER TABLE "Policies" DROP COLUMN "AutomaticRotationDays";""");

            migrationBuilder.Sql("""ALTER TABLE "Policies" DROP COLUMN "AutomaticRotationUseWindowDays";""");
        }
    }
}
