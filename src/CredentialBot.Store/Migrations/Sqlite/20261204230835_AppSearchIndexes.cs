using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Substring search (AppCatalog.FindAsync/SearchAsync): FTS5 trigram indexes over the rows of Apps and Owners,
            // kept by triggers. detail=none keeps only which rows hold each three-character piece; the query checks the
            // whole text on the row. SnapshotIndexes holds the same definitions, to rebuild them after a first load.
            migrationBuilder.Sql("""CREATE VIRTUAL TABLE "AppSearch" USING fts5("DisplayNameLower", content='Apps', tokenize='trigram', detail='none', columnsize=0)""");
            migrationBuilder.Sql("""CREATE VIRTUAL TABLE "OwnerSearch" USING fts5("DisplayName", "UserPrincipalName", content='Owners', content_rowid='Id', tokenize='trigram', detail='none', columnsize=0)""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Apps_Search_Insert" AFTER INSERT ON "Apps" BEGIN
                    INSERT INTO "AppSearch" (rowid, "DisplayNameLower") VALUES (new.rowid, new."DisplayNameLower");
                END
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Apps_Search_Delete" AFTER DELETE ON "Apps" BEGIN
                    INSERT INTO "AppSearch" ("AppSearch", rowid, "DisplayNameLower") VALUES ('delete', old.rowid, old."DisplayNameLower");
                END
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Apps_Search_Update" AFTER UPDATE OF "DisplayNameLower" ON "Apps" BEGIN
                    INSERT INTO "AppSearch" ("AppSearch", rowid, "DisplayNameLower") VALUES ('delete', old.rowid, old."DisplayNameLower");
                    INSERT INTO "AppSearch" (rowid, "DisplayNameLower") VALUES (new.rowid, new."DisplayNameLower");
                END
                """);
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
            migrationBuilder.Sql("""INSERT INTO "AppSearch" ("AppSearch") VALUES ('rebuild')""");
            migrationBuilder.Sql("""INSERT INTO "OwnerSearch" ("OwnerSearch") VALUES ('rebuild')""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "Apps_Search_Insert", "Apps_Search_Delete", "Apps_Search_Update", "Owners_Search_Insert", "Owners_Search_Delete", "Owners_Search_Update" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{trigger}\"");
            }

            migrationBuilder.Sql("DROP TABLE IF EXISTS \"AppSearch\"");
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"OwnerSearch\"");
        }
    }
}
