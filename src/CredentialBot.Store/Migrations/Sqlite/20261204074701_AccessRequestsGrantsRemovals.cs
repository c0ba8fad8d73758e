using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccessRequestsGrantsRemovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccessRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AppObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RequesterObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RequesterName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Right = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    DurationTicks = table.Column<long>(type: "INTEGER", nullable: true),
                    Justification = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Ticket = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PersonObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    PersonName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    PersonUpn = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    OwnerKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ManageCredentials = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReplacesObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecideBy = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedByObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ApprovalCards = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Grants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<long>(type: "INTEGER", nullable: false),
                    AppObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PersonObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Right = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Revoked = table.Column<bool>(type: "INTEGER", nullable: false),
                    PimRequestId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    EndHandledAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Grants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SecretRemovals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AppObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AppKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CredentialName = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedByObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SecretRemovals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRequests_AppObjectId_Status",
                table: "AccessRequests",
                columns: new[] { "AppObjectId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Grants_EndsAt",
                table: "Grants",
                column: "EndsAt");

            migrationBuilder.CreateIndex(
                name: "IX_Grants_PersonObjectId_AppObjectId",
                table: "Grants",
                columns: new[] { "PersonObjectId", "AppObjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_Grants_RequestId",
                table: "Grants",
                column: "RequestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SecretRemovals_AppObjectId_KeyId",
                table: "SecretRemovals",
                columns: new[] { "AppObjectId", "KeyId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SecretRemovals_Status_DueAt",
                table: "SecretRemovals",
                columns: new[] { "Status", "DueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessRequests");

            migrationBuilder.DropTable(
                name: "Grants");

            migrationBuilder.DropTable(
                name: "SecretRemovals");
        }
    }
}
