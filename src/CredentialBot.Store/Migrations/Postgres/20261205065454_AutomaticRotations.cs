using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
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
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AutomaticRotationUseWindowDays",
                table: "Policies",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AutomaticRotations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AppObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    AppKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OldKeyId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    OldCredentialName = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    OldEndsAt = table.Column<long>(type: "bigint", nullable: false),
                    PolicyName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Marker = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    ClaimedUntil = table.Column<long>(type: "bigint", nullable: true),
                    NewKeyId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    NewEndsAt = table.Column<long>(type: "bigint", nullable: true),
                    VaultSecretId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Problem = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    DeliveredAt = table.Column<long>(type: "bigint", nullable: true),
                    ToldAt = table.Column<long>(type: "bigint", nullable: true),
                    RemovalScheduledAt = table.Column<long>(type: "bigint", nullable: true),
                    EscalatedAt = table.Column<long>(type: "bigint", nullable: true)
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

            migrationBuilder.DropColumn(
                name: "AutomaticRotationDays",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "AutomaticRotationUseWindowDays",
                table: "Policies");
        }
    }
}
