using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
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
                    AppObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CredentialKeyId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Until = table.Column<long>(type: "INTEGER", nullable: false),
                    ByObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
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
