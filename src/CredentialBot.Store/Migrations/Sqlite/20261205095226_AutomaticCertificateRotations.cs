using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Secret");

            migrationBuilder.AddColumn<string>(
                name: "NewThumbprint",
                table: "AutomaticRotations",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // In place: EF's rebuild would recreate the table from a recorded model (see MigrationTests).
            migrationBuilder.Sql("""ALTER TABLE "AutomaticRotations" DROP COLUMN "NewThumbprint";""");
            migrationBuilder.Sql("""ALTER TABLE "AutomaticRotations" DROP COLUMN "CredentialKind";""");
        }
    }
}
