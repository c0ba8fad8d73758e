using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AppObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    RequesterObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    RequesterName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Right = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    DurationTicks = table.Column<long>(type: "bigint", nullable: true),
                    Justification = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Ticket = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PersonObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    PersonName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    PersonUpn = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    OwnerKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ManageCredentials = table.Column<bool>(type: "boolean", nullable: false),
                    ReplacesObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    DecideBy = table.Column<long>(type: "bigint", nullable: false),
                    DecidedByObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    DecidedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "bigint", nullable: true),
                    ApprovalCards = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Grants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<long>(type: "bigint", nullable: false),
                    AppObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    PersonObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Right = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StartsAt = table.Column<long>(type: "bigint", nullable: false),
                    EndsAt = table.Column<long>(type: "bigint", nullable: false),
                    Revoked = table.Column<bool>(type: "boolean", nullable: false),
                    PimRequestId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    EndHandledAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Grants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SecretRemovals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AppObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    AppKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    KeyId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CredentialName = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    DueAt = table.Column<long>(type: "bigint", nullable: false),
                    RequestedByObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    RequestedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DoneAt = table.Column<long>(type: "bigint", nullable: true)
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
