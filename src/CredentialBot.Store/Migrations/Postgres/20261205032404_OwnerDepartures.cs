using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
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
                type: "bigint",
                nullable: false,
                defaultValue: 12_096_000_000_000L);

            migrationBuilder.AddColumn<long>(
                name: "InactiveEscalatedAt",
                table: "Owners",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "InactiveFoundAt",
                table: "Owners",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OwnerReplacementGracePeriodTicks",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "InactiveEscalatedAt",
                table: "Owners");

            migrationBuilder.DropColumn(
                name: "InactiveFoundAt",
                table: "Owners");
        }
    }
}
