using CredentialBot.TestKit.Postgres;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Tests;

/// <summary>The PostgreSQL migrations run on a real PostgreSQL server, not only as a generated script.</summary>
public sealed class PostgresMigrationTests : IAsyncLifetime
{
    private readonly PostgresStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AFreshDatabase_GetsEveryMigration()
    {
        await using var db = _store.NewContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task MigratingTwice_ChangesNothing()
    {
        await using var db = _store.NewContext();

        await StoreDatabase.MigrateAsync(db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task AppNames_AreComparedInCodePointOrder_SoAPrefixIsARangeOfTheNameIndex_WhateverTheDatabasesCollation()
    {
        // The test server's databases collate as plain C; most databases people create do not (C.UTF-8, en_US.UTF-8).
        var database = await (await PostgresCluster.Shared).CreateDatabaseAsync("store_language", collation: "C.UTF-8");

        await using var db = PostgresStore.ContextFor(database);
        await StoreDatabase.MigrateAsync(db);
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Whether the index can serve the prefix at all, whatever an empty table would make the planner prefer.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off");

        var plan = await db.Database.SqlQueryRaw<string>(
                """EXPLAIN SELECT "ObjectId" FROM "Apps" WHERE "DisplayNameLower" LIKE 'wo%' ORDER BY "DisplayNameLower" LIMIT 10""")
            .ToListAsync();

        Assert.Contains(plan, line => line.Contains("Index Cond", StringComparison.Ordinal) && line.Contains(">= 'wo'", StringComparison.Ordinal));
    }
}
