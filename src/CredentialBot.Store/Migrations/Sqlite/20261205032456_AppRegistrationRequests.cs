using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppRegistrationRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AppRegistrationRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TechnicalOwners = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    BusinessOwnerObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    BusinessOwnerName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    BusinessOwnerUpn = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    PolicyName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Ticket = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RequesterObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RequesterName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecideBy = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedByObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAppObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ApprovalCards = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppRegistrationRequests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AppRegistrationRequests_Status_DecideBy",
                table: "AppRegistrationRequests",
                columns: new[] { "Status", "DecideBy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AppRegistrationRequests");
        }
    }
}
