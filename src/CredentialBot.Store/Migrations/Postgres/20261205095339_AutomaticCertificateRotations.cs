using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AutomaticCertificateRotations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CredentialKind",
                table: "AutomaticRotations",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Secret");

            migrationBuilder.AddColumn<string>(
                name: "NewThumbprint",
                table: "AutomaticRotations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CredentialKind",
                table: "AutomaticRotations");

            migrationBuilder.DropColumn(
                name: "NewThumbprint",
                table: "AutomaticRotations");
        }
    }
}
