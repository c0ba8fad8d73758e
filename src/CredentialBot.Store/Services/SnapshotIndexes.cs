using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CredentialBot.Store.Services;

/// <summary>
/// The snapshot's secondary indexes (appId, name, owner's person id; on SQLite also the unique keys of credentials and
/// owners), its substring-search indexes (SQLite: FTS5 trigram tables kept by triggers; PostgreSQL: <c>pg_trgm</c> GIN
/// indexes) and the triggers that keep <c>People</c> (what owner search looks in, <see cref="Entities.PersonRecord"/>)
/// in step with <c>Owners</c>. The first scan of an empty store loads the rows without them and builds them afterwards,
/// sorted, which costs a fraction of maintaining them row by row (docs/benchmarks.md); <see cref="EnsureAsync"/> puts
/// back whatever is missing, at the end of that load and at every start (after the migrations, which leave the triggers
/// and the filling of <c>People</c> to it), so a process killed during the load leaves nothing behind that the next
/// start does not repair.
/// </summary>
/// <remarks>
/// The definitions match the migrations that created them (same names); a migration that changes one must change it
/// here too. <c>People</c> and its search indexes are small (one row per person) and never set aside. SQLite's search
/// tables follow the rowids of Apps and People: anything that renumbers Apps (a VACUUM, a table rebuilt by a migration)
/// must be followed by <see cref="EnsureAsync"/> with <c>rebuildSearch</c>, which a migration's rebuild gets for free
/// because it drops the triggers.
/// </remarks>
internal static class SnapshotIndexes
{
    /// <summary>How many of PostgreSQL's deferred indexes are built at once (<see cref="EnsurePostgresAsync"/>).</summary>
    private const int ParallelBuilds = 3;

    /// <summary>Building an index over a large snapshot can take longer than a query's default timeout.</summary>
    private const int BuildTimeoutSeconds = 600;

    private const string NameIndex = "IX_Apps_DisplayNameLower";

    /// <summary>
    /// After a first load (or the repair of one) PostgreSQL has no statistics for the snapshot until autovacuum's next
    /// round, up to a minute or more later. Without them it prices a scan batch's <c>= ANY(@ids)</c> as matching most of
    /// the table, and the next scan read all of <c>Owners</c> for each batch: 40–110 ms a batch, 11 s of a 31 s rescan
    /// at 200,000 Apps (docs/benchmarks.md, session 40). <c>ANALYZE</c> samples a bounded number of rows per table, about
    /// a second here.
    /// </summary>
    private const string AnalyzeSnapshot = "ANALYZE \"Apps\", \"Credentials\", \"Owners\", \"People\"";

    private static readonly (string Name, string Sql)[] Indexes =
    [
        ("IX_Apps_AppId", """CREATE INDEX IF NOT EXISTS "IX_Apps_AppId" ON "Apps" ("AppId")"""),
        (NameIndex, """CREATE INDEX IF NOT EXISTS "IX_Apps_DisplayNameLower" ON "Apps" ("DisplayNameLower")"""),
        ("IX_Owners_PersonObjectId", """CREATE INDEX IF NOT EXISTS "IX_Owners_PersonObjectId" ON "Owners" ("PersonObjectId")"""),
    ];

    /// <summary>
    /// SQLite also sets aside the unique keys of the Apps' credentials and owners. Each begins with the App's object id,
    /// a random GUID, so a batch's children land all over both indexes: on a 200,000-App tenant they took 12 s of a
    /// 28 s first load (docs/benchmarks.md, session 39). PostgreSQL keeps them: its load gained 1.5 s of 19.5 without
    /// them, and its writers run at once, where a missing key would let two of them insert the same row. While they
    /// are set aside, plain inserts of the Apps a batch inserted add no duplicate (<see cref="SnapshotContent"/> keeps one
    /// row per key); any write that matches rows on a key puts the keys back first (<see cref="EnsureKeysAsync"/>).
    /// </summary>
    private static readonly (string Name, string Sql)[] SqliteChildKeys =
    [
        ("IX_Credentials_AppObjectId_KeyId", """CREATE UNIQUE INDEX IF NOT EXISTS "IX_Credentials_AppObjectId_KeyId" ON "Credentials" ("AppObjectId", "KeyId")"""),
        ("IX_Owners_AppObjectId_PersonObjectId_Kind", """CREATE UNIQUE INDEX IF NOT EXISTS "IX_Owners_AppObjectId_PersonObjectId_Kind" ON "Owners" ("AppObjectId", "PersonObjectId", "Kind")"""),
    ];

    private static readonly (string Name, string Sql)[] PostgresSearch =
    [
        ("IX_Apps_DisplayNameLower_trgm", """CREATE INDEX IF NOT EXISTS "IX_Apps_DisplayNameLower_trgm" ON "Apps" USING gin ("DisplayNameLower" gin_trgm_ops)"""),
    ];

    /// <summary>
    /// PostgreSQL keeps <c>People</c> with one trigger per statement (<c>People_FromOwners()</c>, created by the
    /// migration), so a scan batch's owner rows cost one query, not one per row.
    /// </summary>
    private static readonly (string Name, string Sql)[] PostgresPeopleTriggers =
    [
        ("Owners_People_Insert", """CREATE TRIGGER "Owners_People_Insert" AFTER INSERT ON "Owners" REFERENCING NEW TABLE AS "OwnerRows" FOR EACH STATEMENT EXECUTE FUNCTION "People_FromOwners"()"""),
        ("Owners_People_Update", """CREATE TRIGGER "Owners_People_Update" AFTER UPDATE ON "Owners" REFERENCING NEW TABLE AS "OwnerRows" FOR EACH STATEMENT EXECUTE FUNCTION "People_FromOwners"()"""),
    ];

    /// <summary>
    /// How SQLite's triggers and the fill end their writes to <c>People</c> (PostgreSQL's function does the same): a
    /// person already there gets the new names, and is not written at all when the names are the same.
    /// </summary>
    private const string NewNamesOnly = """
        ON CONFLICT ("PersonObjectId") DO UPDATE SET "DisplayName" = excluded."DisplayName", "UserPrincipalName" = excluded."UserPrincipalName"
        WHERE "People"."DisplayName" <> excluded."DisplayName" OR "People"."UserPrincipalName" IS DISTINCT FROM excluded."UserPrincipalName"
        """;

    /// <summary>
    /// The triggers that keep SQLite's FTS5 table <c>AppSearch</c> in step with Apps and <c>People</c> with Owners: set
    /// aside during a first load, which then fills both in one statement each.
    /// </summary>
    private static readonly (string Name, string Sql)[] SqliteSnapshotTriggers =
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
        OwnersToPeople("Owners_People_Insert", "INSERT"),
        OwnersToPeople("Owners_People_Update", "UPDATE OF \"DisplayName\", \"UserPrincipalName\""),
    ];

    /// <summary>The triggers that keep SQLite's FTS5 table <c>PeopleSearch</c> in step with <c>People</c>; never set aside.</summary>
    private static readonly (string Name, string Sql)[] SqlitePeopleSearchTriggers =
    [
        ("People_Search_Insert", """
            CREATE TRIGGER "People_Search_Insert" AFTER INSERT ON "People" BEGIN
                INSERT INTO "PeopleSearch" (rowid, "DisplayName", "UserPrincipalName") VALUES (new."Id", new."DisplayName", new."UserPrincipalName");
            END
            """),
        ("People_Search_Delete", """
            CREATE TRIGGER "People_Search_Delete" AFTER DELETE ON "People" BEGIN
                INSERT INTO "PeopleSearch" ("PeopleSearch", rowid, "DisplayName", "UserPrincipalName") VALUES ('delete', old."Id", old."DisplayName", old."UserPrincipalName");
            END
            """),
        ("People_Search_Update", """
            CREATE TRIGGER "People_Search_Update" AFTER UPDATE OF "DisplayName", "UserPrincipalName" ON "People" BEGIN
                INSERT INTO "PeopleSearch" ("PeopleSearch", rowid, "DisplayName", "UserPrincipalName") VALUES ('delete', old."Id", old."DisplayName", old."UserPrincipalName");
                INSERT INTO "PeopleSearch" (rowid, "DisplayName", "UserPrincipalName") VALUES (new."Id", new."DisplayName", new."UserPrincipalName");
            END
            """),
    ];

    /// <summary>
    /// Each person's names from their latest owner row; a person whose names are already there is not touched. The
    /// latest rows are found in <c>IX_Owners_PersonObjectId</c> (on SQLite without reading the table: 0.04 s for 300,000
    /// rows, where taking the names along in the grouping read each row, 0.42 s). <c>WHERE true</c> tells SQLite's parser
    /// that the <c>ON CONFLICT</c> is the upsert's, not the join's.
    /// </summary>
    private const string FillPeople = $"""
        INSERT INTO "People" ("PersonObjectId", "DisplayName", "UserPrincipalName")
        SELECT o."PersonObjectId", o."DisplayName", o."UserPrincipalName"
        FROM (SELECT max("Id") AS "Id" FROM "Owners" GROUP BY "PersonObjectId") AS latest JOIN "Owners" AS o ON o."Id" = latest."Id"
        WHERE true
        {NewNamesOnly}
        """;

    /// <summary>
    /// When the snapshot holds no App at all, drops the deferred indexes and the triggers that fire per snapshot row
    /// (on SQLite also the children's unique keys, and empties <c>AppSearch</c>) so a first load writes rows only; true
    /// when it did. Decided and done in one transaction.
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
                statements.AddRange(PostgresPeopleTriggers.Select(t => $"DROP TRIGGER IF EXISTS \"{t.Name}\" ON \"Owners\""));
            }
            else
            {
                statements.AddRange(SqliteChildKeys.Select(i => $"DROP INDEX IF EXISTS \"{i.Name}\""));
                statements.AddRange(SqliteSnapshotTriggers.Select(t => $"DROP TRIGGER IF EXISTS \"{t.Name}\""));
                statements.Add("""INSERT INTO "AppSearch" ("AppSearch") VALUES ('delete-all')""");
            }

            await ExecuteAsync(db, statements, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates whichever deferred index is missing; when a trigger is missing (a first load, a killed one, a rebuilt
    /// table, a new store) or, on SQLite, <paramref name="rebuildSearch"/> asks, recreates the triggers and fills the
    /// search from the rows: <c>People</c> from <c>Owners</c>, and on SQLite the FTS5 tables. Cheap when everything is in
    /// place: one catalog query (on SQLite in a write transaction, so two processes never rebuild at once).
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
        var built = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var existing = await ExistingAsync(db, cancellationToken).ConfigureAwait(false);
            var missing = SqliteChildKeys.Concat(Indexes).Where(i => !existing.Contains(i.Name)).ToList();
            // AppSearch's rebuild reads each App's rowid and name; with the name index in place SQLite reads them from that
            // covering index, in name order, and FTS5 then takes the rowids in no order: 2.0 s for 194,000 Apps, against
            // 0.2 s in rowid order (docs/benchmarks.md, session 39). So the name index comes after it.
            var statements = missing.Where(i => i.Name != NameIndex).Select(i => i.Sql).ToList();
            var triggers = SqlitePeopleSearchTriggers.Concat(SqliteSnapshotTriggers).ToList();
            if (rebuildSearch || triggers.Any(t => !existing.Contains(t.Name)))
            {
                statements.AddRange(triggers.Where(t => !existing.Contains(t.Name)).Select(t => t.Sql));
                statements.Add("""INSERT INTO "AppSearch" ("AppSearch") VALUES ('rebuild')""");
                statements.Add(FillPeople);
                statements.Add("""INSERT INTO "PeopleSearch" ("PeopleSearch") VALUES ('rebuild')""");
            }

            statements.AddRange(missing.Where(i => i.Name == NameIndex).Select(i => i.Sql));
            await ExecuteAsync(db, statements, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return statements.Count > 0;
        }).ConfigureAwait(false);
        if (built)
        {
            // The build's pages (tens of MB after a first load) sit in the write-ahead log until a checkpoint copies them
            // back. SQLite's automatic one would run inside whichever commit next crosses its threshold, a person's
            // included; a passive checkpoint now does it here, without waiting for any reader or writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE)", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts back the unique keys of credentials and owners if a first load set them aside (SQLite), in the caller's
    /// transaction when it has one: for a write that matches rows on them (<c>ON CONFLICT</c> needs them, and a lookup
    /// without them reads the whole table). A no-op statement per key when they are there, and nothing at all on
    /// PostgreSQL.
    /// </summary>
    public static async Task EnsureKeysAsync(CredentialBotDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql())
        {
            foreach (var (_, sql) in SqliteChildKeys)
            {
                await db.Database.ExecuteSqlRawAsync(sql, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// PostgreSQL builds each missing index on a connection of its own, at most <see cref="ParallelBuilds"/> at once:
    /// a build is one CPU-bound process on the server (GIN builds do not run in parallel), so after a first load they
    /// take about as long as the largest instead of their sum; the largest is started first. Missing triggers are
    /// created, and <c>People</c> filled, in one transaction alongside, so no owner row written meanwhile is missed:
    /// writers to <c>Owners</c> wait for it. Another instance's start may be doing the same: an index or trigger it made
    /// first (found by <c>IF NOT EXISTS</c>, or refused as a duplicate when both ran at once) counts as made. A build
    /// that fails otherwise leaves its part for the next start. When it built anything it then analyzes the snapshot's
    /// tables (<see cref="AnalyzeSnapshot"/>).
    /// </summary>
    private static async Task EnsurePostgresAsync(CredentialBotDbContext db, CancellationToken cancellationToken)
    {
        var connectionString = db.Database.GetConnectionString() ?? throw new InvalidOperationException("The PostgreSQL store has no connection string.");
        var existing = await db.RetryingAsync(ct => ExistingAsync(db, ct), cancellationToken).ConfigureAwait(false);
        var work = PostgresSearch.Concat(Indexes).Where(i => !existing.Contains(i.Name)).Select(i => (IReadOnlyList<string>)[i.Sql]).ToList();
        if (PostgresPeopleTriggers.Any(t => !existing.Contains(t.Name)))
        {
            // Second, so the largest build still starts first.
            work.Insert(Math.Min(1, work.Count), [.. PostgresPeopleTriggers.Where(t => !existing.Contains(t.Name)).Select(t => t.Sql), FillPeople]);
        }

        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelBuilds, CancellationToken = cancellationToken },
            async (statements, ct) => await db.Database.CreateExecutionStrategy().ExecuteAsync(
                async retryToken =>
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync(retryToken).ConfigureAwait(false);
                    await using var transaction = await connection.BeginTransactionAsync(retryToken).ConfigureAwait(false);
                    try
                    {
                        foreach (var sql in statements)
                        {
                            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = BuildTimeoutSeconds };
                            await command.ExecuteNonQueryAsync(retryToken).ConfigureAwait(false);
                        }

                        await transaction.CommitAsync(retryToken).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
                    {
                    }

                    return 0;
                },
                ct).ConfigureAwait(false)).ConfigureAwait(false);
        if (work.Count > 0)
        {
            await db.RetryingAsync(ct => db.Database.ExecuteSqlRawAsync(AnalyzeSnapshot, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The names of the store's indexes and triggers; in the current transaction when there is one.</summary>
    private static async Task<HashSet<string>> ExistingAsync(CredentialBotDbContext db, CancellationToken cancellationToken)
    {
        var sql = db.Database.IsNpgsql()
            ? """
              SELECT indexname AS "Value" FROM pg_indexes WHERE schemaname = current_schema()
              UNION ALL
              SELECT t.tgname FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
              """
            : """SELECT name AS "Value" FROM sqlite_master WHERE type IN ('index', 'trigger')""";
        return (await db.Database.SqlQueryRaw<string>(sql).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A SQLite trigger that, after <paramref name="when"/> on an owner row, gives its person that row's names.</summary>
    private static (string Name, string Sql) OwnersToPeople(string name, string when) => (name, $"""
        CREATE TRIGGER "{name}" AFTER {when} ON "Owners" BEGIN
            INSERT INTO "People" ("PersonObjectId", "DisplayName", "UserPrincipalName") VALUES (new."PersonObjectId", new."DisplayName", new."UserPrincipalName")
            {NewNamesOnly};
        END
        """);

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
