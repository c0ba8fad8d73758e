using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecretRemovalRotatedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RotatedAt",
                table: "SecretRemovals",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // In place: EF's rebuild would recreate the table from a recorded model (see MigrationTests).
            migrationBuilder.Sql("""ALTER TABLE "SecretRemovals" DROP COLUMN "RotatedAt";""");
        }
    }
}
