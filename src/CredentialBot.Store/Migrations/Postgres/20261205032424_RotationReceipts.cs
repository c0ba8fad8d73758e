using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
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
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastUsedAt",
                table: "SecretRemovals",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RotationReceipts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AppObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    AppKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    NewKeyId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CredentialName = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    RotatedAt = table.Column<long>(type: "bigint", nullable: false),
                    RotatedByObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    RotatedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Card = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    FirstUsedAt = table.Column<long>(type: "bigint", nullable: true),
                    ClosedAt = table.Column<long>(type: "bigint", nullable: true)
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

            migrationBuilder.DropColumn(
                name: "AskedAt",
                table: "SecretRemovals");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "SecretRemovals");
        }
    }
}
