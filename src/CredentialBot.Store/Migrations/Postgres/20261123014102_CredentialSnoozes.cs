using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CredentialSnoozes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CredentialSnoozes",
                columns: table => new
                {
                    AppObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CredentialKeyId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Until = table.Column<long>(type: "bigint", nullable: false),
                    ByObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    At = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CredentialSnoozes", x => new { x.AppObjectId, x.CredentialKeyId });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CredentialSnoozes");
        }
    }
}
