using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OwnerDepartures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing policies get the product's default of 14 days (Policy.OwnerReplacementGracePeriod), not zero.
            migrationBuilder.AddColumn<long>(
                name: "OwnerReplacementGracePeriodTicks",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 12_096_000_000_000L);

            migrationBuilder.AddColumn<long>(
                name: "InactiveEscalatedAt",
                table: "Owners",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "InactiveFoundAt",
                table: "Owners",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops the column in place: EF's table rebuild would drop the search triggers with the old table and
            // recreate it from this migration's recorded model, which misses what parallel branches added.
            migrationBuilder.Sql("""ALTER TABLE "Policies" DROP COLUMN "OwnerReplacementGracePeriodTicks";""");

            migrationBuilder.Sql("""ALTER TABLE "Owners" DROP COLUMN "InactiveEscalatedAt";""");

            migrationBuilder.Sql("""ALTER TABLE "Owners" DROP COLUMN "InactiveFoundAt";""");
        }
    }
}
