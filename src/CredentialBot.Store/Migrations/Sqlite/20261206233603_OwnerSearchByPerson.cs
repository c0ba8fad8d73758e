using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UserPrincipalName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
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

            // Owner search looks in People, one row per person, instead of in every owner row. The triggers that keep
            // People and PeopleSearch, and filling People from Owners, are SnapshotIndexes.EnsureAsync's, which runs
            // after every migration (and sets them aside for a first load).
            foreach (var trigger in new[] { "Owners_Search_Insert", "Owners_Search_Delete", "Owners_Search_Update" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{trigger}\"");
            }

            migrationBuilder.Sql("DROP TABLE IF EXISTS \"OwnerSearch\"");
            migrationBuilder.Sql("""CREATE VIRTUAL TABLE "PeopleSearch" USING fts5("DisplayName", "UserPrincipalName", content='People', content_rowid='Id', tokenize='trigram', detail='none', columnsize=0)""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "Owners_People_Insert", "Owners_People_Update", "People_Search_Insert", "People_Search_Delete", "People_Search_Update" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{trigger}\"");
            }

            migrationBuilder.Sql("DROP TABLE IF EXISTS \"PeopleSearch\"");
            migrationBuilder.DropTable(
                name: "People");

            // As AppSearchIndexes made them, text for text: SQLite keeps each definition as written.
            migrationBuilder.Sql("""CREATE VIRTUAL TABLE "OwnerSearch" USING fts5("DisplayName", "UserPrincipalName", content='Owners', content_rowid='Id', tokenize='trigram', detail='none', columnsize=0)""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Owners_Search_Insert" AFTER INSERT ON "Owners" BEGIN
                    INSERT INTO "OwnerSearch" (rowid, "DisplayName", "UserPrincipalName") VALUES (new."Id", new."DisplayName", new."UserPrincipalName");
                END
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Owners_Search_Delete" AFTER DELETE ON "Owners" BEGIN
                    INSERT INTO "OwnerSearch" ("OwnerSearch", rowid, "DisplayName", "UserPrincipalName") VALUES ('delete', old."Id", old."DisplayName", old."UserPrincipalName");
                END
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Owners_Search_Update" AFTER UPDATE OF "DisplayName", "UserPrincipalName" ON "Owners" BEGIN
                    INSERT INTO "OwnerSearch" ("OwnerSearch", rowid, "DisplayName", "UserPrincipalName") VALUES ('delete', old."Id", old."DisplayName", old."UserPrincipalName");
                    INSERT INTO "OwnerSearch" (rowid, "DisplayName", "UserPrincipalName") VALUES (new."Id", new."DisplayName", new."UserPrincipalName");
                END
                """);
            migrationBuilder.Sql("""INSERT INTO "OwnerSearch" ("OwnerSearch") VALUES ('rebuild')""");
        }
    }
}
