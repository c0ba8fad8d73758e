using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CredentialBot.Store.Services;

/// <summary>
/// The snapshot's secondary indexes (appId, name, owner's person id) and its substring-search indexes (SQLite: FTS5
/// trigram tables kept by triggers; PostgreSQL: <c>pg_trgm</c> GIN indexes). The first scan of an empty store loads the
/// rows without them and builds them afterwards, sorted, which costs a fraction of maintaining them row by row
/// (docs/benchmarks.md); <see cref="EnsureAsync"/> puts back whatever is missing, at the end of that load and at every
/// start, so a process killed during the load leaves nothing behind that the next start does not repair.
/// </summary>
/// <remarks>
/// The definitions match the migrations that created them (same names); a migration that changes one must change it
/// here too. SQLite's search tables follow the rowids of Apps and Owners: anything that renumbers them (a VACUUM, a
/// table rebuilt by a migration) must be followed by <see cref="EnsureAsync"/> with <c>rebuildSearch</c>, which a
/// migration's rebuild gets for free because it drops the triggers.
/// </remarks>
internal static class SnapshotIndexes
{
    /// <summary>How many of PostgreSQL's deferred indexes are built at once (<see cref="EnsurePostgresAsync"/>).</summary>
    private const int ParallelBuilds = 3;

    /// <summary>Building an index over a large snapshot can take longer than a query's default timeout.</summary>
    private const int BuildTimeoutSeconds = 600;

    private static readonly (string Name, string Sql)[] Indexes =
    [
        ("IX_Apps_AppId", """CREATE INDEX IF NOT EXISTS "IX_Apps_AppId" ON "Apps" ("AppId")"""),
        ("IX_Apps_DisplayNameLower", """CREATE INDEX IF NOT EXISTS "IX_Apps_DisplayNameLower" ON "Apps" ("DisplayNameLower")"""),
        ("IX_Owners_PersonObjectId", """CREATE INDEX IF NOT EXISTS "IX_Owners_PersonObjectId" ON "Owners" ("PersonObjectId")"""),
    ];

    private static readonly (string Name, string Sql)[] PostgresSearch =
    [
        ("IX_Apps_DisplayNameLower_trgm", """CREATE INDEX IF NOT EXISTS "IX_Apps_DisplayNameLower_trgm" ON "Apps" USING gin ("DisplayNameLower" gin_trgm_ops)"""),
        ("IX_Owners_DisplayName_trgm", """CREATE INDEX IF NOT EXISTS "IX_Owners_DisplayName_trgm" ON "Owners" USING gin (lower("DisplayName") gin_trgm_ops)"""),
        ("IX_Owners_UserPrincipalName_trgm", """CREATE INDEX IF NOT EXISTS "IX_Owners_UserPrincipalName_trgm" ON "Owners" USING gin (lower("UserPrincipalName") gin_trgm_ops)"""),
    ];

    /// <summary>The triggers that keep SQLite's FTS5 tables <c>AppSearch</c> and <c>OwnerSearch</c> in step with their rows.</summary>
    private static readonly (string Name, string Sql)[] SqliteSearchTriggers =
    [
        ("Apps_Search_Insert", """
            CREATE TRIGGER "Apps_Search_Insert" AFTER INSERT ON "Apps" BEGIN
                INSERT INTO "AppSearch" (rowid, "DisplayNameLower") VALUES (new.rowid, new."DisplayNameLower");
            END
            """),
        ("Apps_Search_Delete", """
            CREATE TRIGGER "Apps_Search_Delete" AFTER DELETE ON "Apps" BEGIN
                INSERT INTO "AppSearch" ("AppSearch", rowid, "DisplayNameLower") VALUES ('delete', old.rowid, old."DisplayNameLower");
            END
            """),
        ("Apps_Search_Update", """
            CREATE TRIGGER "Apps_Search_Update" AFTER UPDATE OF "DisplayNameLower" ON "Apps" BEGIN
                INSERT INTO "AppSearch" ("AppSearch", rowid, "DisplayNameLower") VALUES ('delete', old.rowid, old."DisplayNameLower");
                INSERT INTO "AppSearch" (rowid, "DisplayNameLower") VALUES (new.rowid, new."DisplayNameLower");
            END
            """),
        ("Owners_Search_Insert", """
            CREATE TRIGGER "Owners_Search_Insert" AFTER INSERT ON "Owners" BEGIN
                INSERT INTO "OwnerSearch" (rowid, "DisplayName", "UserPrincipalName") VALUES (new."Id", new."DisplayName", new."UserPrincipalName");
            END
            """),
        ("Owners_Search_Delete", """
            CREATE TRIGGER "Owners_Search_Delete" AFTER DELETE ON "Owners" BEGIN
                INSERT INTO "OwnerSearch" ("OwnerSearch", rowid, "DisplayName", "UserPrincipalName") VALUES ('delete', old."Id", old."DisplayName", old."UserPrincipalName");
            END
            """),
        ("Owners_Search_Update", """
            CREATE TRIGGER "Owners_Search_Update" AFTER UPDATE OF "DisplayName", "UserPrincipalName" ON "Owners" BEGIN
                INSERT INTO "OwnerSearch" ("OwnerSearch", rowid, "DisplayName", "UserPrincipalName") VALUES ('delete', old."Id", old."DisplayName", old."UserPrincipalName");
                INSERT INTO "OwnerSearch" (rowid, "DisplayName", "UserPrincipalName") VALUES (new."Id", new."DisplayName", new."UserPrincipalName");
            END
            """),
    ];

    /// <summary>
    /// When the snapshot holds no App at all, drops the deferred indexes (and on SQLite the search triggers, emptying the
    /// search tables) so a first load writes rows only; true when it did. Decided and done in one transaction.
    /// </summary>
    public static async Task<bool> DeferIfEmptyAsync(CredentialBotDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (await db.Apps.AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var statements = Indexes.Select(i => $"DROP INDEX IF EXISTS \"{i.Name}\"").ToList();
            if (db.Database.IsNpgsql())
            {
                statements.AddRange(PostgresSearch.Select(i => $"DROP INDEX IF EXISTS \"{i.Name}\""));
            }
            else
            {
                statements.AddRange(SqliteSearchTriggers.Select(t => $"DROP TRIGGER IF EXISTS \"{t.Name}\""));
                statements.Add("""INSERT INTO "AppSearch" ("AppSearch") VALUES ('delete-all')""");
                statements.Add("""INSERT INTO "OwnerSearch" ("OwnerSearch") VALUES ('delete-all')""");
            }

            await ExecuteAsync(db, statements, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates whichever deferred index is missing; on SQLite, when a search trigger is missing (a first load, a killed
    /// one, a rebuilt table) or <paramref name="rebuildSearch"/> asks, recreates the triggers and rebuilds the search
    /// tables from their rows. Cheap when everything is in place: one catalog query in a transaction (on SQLite a write
    /// transaction, so two processes never rebuild at once).
    /// </summary>
    public static async Task EnsureAsync(CredentialBotDbContext db, bool rebuildSearch = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            await EnsurePostgresAsync(db, cancellationToken).ConfigureAwait(false);
            return;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var existing = await ExistingAsync(db, cancellationToken).ConfigureAwait(false);
            var statements = Indexes.Where(i => !existing.Contains(i.Name)).Select(i => i.Sql).ToList();
            if (rebuildSearch || SqliteSearchTriggers.Any(t => !existing.Contains(t.Name)))
            {
                statements.AddRange(SqliteSearchTriggers.Where(t => !existing.Contains(t.Name)).Select(t => t.Sql));
                statements.Add("""INSERT INTO "AppSearch" ("AppSearch") VALUES ('rebuild')""");
                statements.Add("""INSERT INTO "OwnerSearch" ("OwnerSearch") VALUES ('rebuild')""");
            }

            await ExecuteAsync(db, statements, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// PostgreSQL builds each missing index on a connection of its own, at most <see cref="ParallelBuilds"/> at once:
    /// a build is one CPU-bound process on the server (GIN builds do not run in parallel), so after a first load the six
    /// take about as long as the largest few instead of their sum; the largest are started first. Another instance's start
    /// may be building the same ones: an index it built first (found by <c>IF NOT EXISTS</c>, or by the name's unique
    /// key when both ran at once) counts as built. A build that fails otherwise leaves the index for the next start.
    /// </summary>
    private static async Task EnsurePostgresAsync(CredentialBotDbContext db, CancellationToken cancellationToken)
    {
        var connectionString = db.Database.GetConnectionString() ?? throw new InvalidOperationException("The PostgreSQL store has no connection string.");
        var existing = await db.Database.CreateExecutionStrategy().ExecuteAsync(ct => ExistingAsync(db, ct), cancellationToken).ConfigureAwait(false);
        var missing = PostgresSearch.Concat(Indexes).Where(i => !existing.Contains(i.Name)).ToList();
        await Parallel.ForEachAsync(
            missing,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelBuilds, CancellationToken = cancellationToken },
            async (index, ct) => await db.Database.CreateExecutionStrategy().ExecuteAsync(
                async retryToken =>
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync(retryToken).ConfigureAwait(false);
                    await using var command = new NpgsqlCommand(index.Sql, connection) { CommandTimeout = BuildTimeoutSeconds };
                    try
                    {
                        return await command.ExecuteNonQueryAsync(retryToken).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
                    {
                        return 0;
                    }
                },
                ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The names of the store's indexes (and, on SQLite, triggers); in the current transaction when there is one.</summary>
    private static async Task<HashSet<string>> ExistingAsync(CredentialBotDbContext db, CancellationToken cancellationToken)
    {
        var sql = db.Database.IsNpgsql()
            ? """SELECT indexname AS "Value" FROM pg_indexes WHERE schemaname = current_schema()"""
            : """SELECT name AS "Value" FROM sqlite_master WHERE type IN ('index', 'trigger')""";
        return (await db.Database.SqlQueryRaw<string>(sql).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task ExecuteAsync(CredentialBotDbContext db, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        foreach (var sql in statements)
        {
            await using var command = Command(db, sql);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static DbCommand Command(CredentialBotDbContext db, string sql)
    {
        var command = db.CreateCommand(sql);
        command.CommandTimeout = BuildTimeoutSeconds;
        return command;
    }
}
