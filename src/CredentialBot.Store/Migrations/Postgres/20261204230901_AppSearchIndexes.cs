using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CredentialBot.Store.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Substring search (AppCatalog.FindAsync/SearchAsync) through trigram GIN indexes instead of reading every
            // row. pg_trgm ships with PostgreSQL and is a trusted extension: the database owner may create it.
            // SnapshotIndexes holds the same definitions, to rebuild them after a first load.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm");
            migrationBuilder.Sql("""CREATE INDEX "IX_Apps_DisplayNameLower_trgm" ON "Apps" USING gin ("DisplayNameLower" gin_trgm_ops)""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Owners_DisplayName_trgm" ON "Owners" USING gin (lower("DisplayName") gin_trgm_ops)""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Owners_UserPrincipalName_trgm" ON "Owners" USING gin (lower("UserPrincipalName") gin_trgm_ops)""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Apps_DisplayNameLower_trgm\"");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Owners_DisplayName_trgm\"");
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Owners_UserPrincipalName_trgm\"");
        }
    }
}
