using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OwnerSearchByPerson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "People",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonObjectId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UserPrincipalName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_People", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_People_PersonObjectId",
                table: "People",
                column: "PersonObjectId",
                unique: true);

            // Owner search looks in People, one row per person, instead of in every owner row. The statement triggers that
            // call People_FromOwners, and filling People from Owners, are SnapshotIndexes.EnsureAsync's, which runs after
            // every migration (and sets the triggers aside for a first load). The function takes each person's names from
            // their latest row in the statement. Most statements bring no new names and end at the first query, locking
            // nothing. One that does first takes a lock for People until its transaction ends: a scan batch writes owners
            // in two statements, so without it two writers could take the same people's rows in opposite orders.
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Owners_DisplayName_trgm\"");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Owners_UserPrincipalName_trgm\"");
            migrationBuilder.Sql("""CREATE INDEX "IX_People_DisplayName_trgm" ON "People" USING gin (lower("DisplayName") gin_trgm_ops)""");
            migrationBuilder.Sql("""CREATE INDEX "IX_People_UserPrincipalName_trgm" ON "People" USING gin (lower("UserPrincipalName") gin_trgm_ops)""");
            migrationBuilder.Sql("""
                CREATE FUNCTION "People_FromOwners"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NOT EXISTS (
                        SELECT FROM "OwnerRows" AS n
                        WHERE NOT EXISTS (
                            SELECT FROM "People" AS p
                            WHERE p."PersonObjectId" = n."PersonObjectId" AND p."DisplayName" = n."DisplayName" AND p."UserPrincipalName" IS NOT DISTINCT FROM n."UserPrincipalName")) THEN
                        RETURN NULL;
                    END IF;

                    PERFORM pg_advisory_xact_lock(hashtextextended('people', 0));
                    INSERT INTO "People" ("PersonObjectId", "DisplayName", "UserPrincipalName")
                    SELECT DISTINCT ON ("PersonObjectId") "PersonObjectId", "DisplayName", "UserPrincipalName" FROM "OwnerRows" ORDER BY "PersonObjectId", "Id" DESC
                    ON CONFLICT ("PersonObjectId") DO UPDATE SET "DisplayName" = excluded."DisplayName", "UserPrincipalName" = excluded."UserPrincipalName"
                    WHERE ("People"."DisplayName", "People"."UserPrincipalName") IS DISTINCT FROM (excluded."DisplayName", excluded."UserPrincipalName");
                    RETURN NULL;
                END
                $$
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Owners_People_Insert\" ON \"Owners\"");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Owners_People_Update\" ON \"Owners\"");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS \"People_FromOwners\"()");
            migrationBuilder.DropTable(
                name: "People");

            migrationBuilder.Sql("""CREATE INDEX "IX_Owners_DisplayName_trgm" ON "Owners" USING gin (lower("DisplayName") gin_trgm_ops)""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Owners_UserPrincipalName_trgm" ON "Owners" USING gin (lower("UserPrincipalName") gin_trgm_ops)""");
        }
    }
}
