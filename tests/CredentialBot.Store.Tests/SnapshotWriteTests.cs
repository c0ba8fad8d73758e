using System.Collections.Concurrent;
using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Store.Tests;

/// <summary>
/// How the scan and per-app refreshes write the snapshot: one writer per App at a time, the later directory read wins
/// whoever commits last, unchanged Apps are not rewritten, and a first load builds its indexes afterwards. Run on SQLite
/// and on a real PostgreSQL, with real concurrent connections.
/// </summary>
public abstract class SnapshotWriteTests(ITestStore store) : IAsyncLifetime
{
    private static readonly string[] DeferredIndexes = ["IX_Apps_AppId", "IX_Apps_DisplayNameLower", "IX_Owners_PersonObjectId"];

    /// <summary>The unique keys of credentials and owners, which only SQLite sets aside during a first load.</summary>
    private static readonly string[] ChildKeys = ["IX_Credentials_AppObjectId_KeyId", "IX_Owners_AppObjectId_PersonObjectId_Kind"];

    private FakeTimeProvider Time => store.Time;

    private DateTimeOffset Start => Time.GetUtcNow();

    public Task InitializeAsync() => store.InitializeAsync();

    public Task DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task AnUnchangedApp_IsNotRewritten_OnlyItsLastSeenTimeMoves()
    {
        await WriteAsync([Version("app-1", 1)], Start);
        var before = await RowIdsAsync("app-1");

        var counts = await WriteAsync([Version("app-1", 1)], Start.AddHours(1));

        Assert.Equal(new SnapshotWriteCounts(0, 0, 1, 0), counts);
        Assert.Equal(before, await RowIdsAsync("app-1"));
        await using var db = NewContext();
        Assert.Equal(Start.AddHours(1), (await db.Apps.SingleAsync(a => a.ObjectId == "app-1")).LastSeenAt);
    }

    [Fact]
    public async Task AChangedApp_GetsOnlyTheRowsThatDiffer_AndKeepsStoreOwners()
    {
        var first = new App("app-1", "appid-1", "Payroll", AppKind.Application,
            [Secret("kept", 30), Secret("renewed", 10), Secret("removed", 5)],
            [Entra("alex"), Entra("megan"), Entra("leaving")]);
        await WriteAsync([first], Start);
        await using (var db = NewContext())
        {
            await new OwnershipStore(db, Time).AddOwnerAsync("app-1", new Owner(OwnerKind.Technical, "tech", "Tech Owner", null, true, false, CanManageCredentials: true));
        }

        var before = await RowIdsAsync("app-1");
        var second = first with
        {
            Credentials = [Secret("kept", 30), Secret("renewed", 400), Secret("added", 90)],
            Owners = [Entra("alex"), Entra("megan") with { AccountEnabled = false }, Entra("joining")],
        };
        var counts = await WriteAsync([second], Start.AddHours(1));
        var after = await RowIdsAsync("app-1");
        var read = (await Catalog(NewContext()).GetAsync("app-1"))!;

        Assert.Equal(new SnapshotWriteCounts(0, 1, 0, 0), counts);
        Assert.Equal(before["kept"], after["kept"]);
        Assert.Equal(before["renewed"], after["renewed"]);
        Assert.Equal(before["alex"], after["alex"]);
        Assert.Equal(before["megan"], after["megan"]);
        Assert.Equal(before["tech"], after["tech"]);
        Assert.DoesNotContain("removed", after.Keys);
        Assert.DoesNotContain("leaving", after.Keys);
        Assert.Equal(["added", "kept", "renewed"], read.Credentials.Select(c => c.KeyId).Order());
        Assert.Equal(Start.AddDays(400), read.Credentials.Single(c => c.KeyId == "renewed").EndsAt);
        Assert.False(read.Owners.Single(o => o.ObjectId == "megan").AccountEnabled);
        Assert.Equal(["alex", "joining", "megan", "tech"], read.Owners.Select(o => o.ObjectId).Order());
    }

    [Fact]
    public async Task AWriteFromAnOlderRead_IsDropped_ThoughItCommitsLast()
    {
        await WriteAsync([Version("app-1", 2), Version("app-2", 2)], Start.AddSeconds(2));

        var counts = await WriteAsync([Version("app-1", 1), Version("app-3", 1)], Start.AddSeconds(1));

        Assert.Equal(new SnapshotWriteCounts(1, 0, 0, 1), counts);
        await AssertStoredAsync("app-1", 2);
        await AssertStoredAsync("app-3", 1);
    }

    [Fact]
    public async Task TheAppsAWriteInserts_AreReported_AndCompletedWithoutReadingTheStore_WhileStoredOnesKeepTheirFacts()
    {
        await WriteAsync([Version("app-1", 1)], Start);
        await using (var db = NewContext())
        {
            await new OwnershipStore(db, Time).AddOwnerAsync("app-1", new Owner(OwnerKind.Business, "megan", "Megan Bowen", null, true, false));
        }

        var commands = new ExecutedCommands();
        await using var scan = store.NewContext(commands);
        await using var transaction = await scan.Database.BeginTransactionAsync();
        var listed = new[] { Version("app-1", 2), Version("app-2", 1) };
        var write = await Catalog(scan).UpsertSnapshotAsync(listed, Start.AddHours(1));
        var before = commands.All.Count;
        var onlyNew = await Catalog(scan).WithStoreFactsAsync([listed[1]], write);
        var readForNew = commands.All.Count - before;
        var both = await Catalog(scan).WithStoreFactsAsync(listed, write);
        await transaction.CommitAsync();

        Assert.Equal(["app-2"], write.Inserted);
        Assert.Equal(new SnapshotWriteCounts(1, 1, 0, 0), write.Counts);
        Assert.Equal(0, readForNew);
        Assert.Same(listed[1], Assert.Single(onlyNew));
        Assert.Equal(["megan", "person-2-app-1", "shared-owner"], both[0].Owners.Select(o => o.ObjectId).Order());
        Assert.Same(listed[1], both[1]);
    }

    [Fact]
    public async Task StoredAppsAreCompletedFromWhatTheWriteRead_FlagsAndNewerReads_WithoutReadingTheAppsAgain()
    {
        await WriteAsync([Version("app-1", 1), Version("app-2", 1), Version("app-3", 1)], Start);
        await using (var db = NewContext())
        {
            await db.Apps.Where(a => a.ObjectId == "app-1").ExecuteUpdateAsync(s => s.SetProperty(a => a.ExternallyManaged, true));
        }

        await WriteAsync([Version("app-3", 2)], Start.AddHours(2));

        var commands = new ExecutedCommands();
        await using var scan = store.NewContext(commands);
        await using var transaction = await scan.Database.BeginTransactionAsync();
        var listed = new[] { Version("app-1", 1), Version("app-2", 1), Version("app-3", 1) };
        var write = await Catalog(scan).UpsertSnapshotAsync(listed, Start.AddHours(1));
        var before = commands.All.Count;
        var flaggedOrNot = await Catalog(scan).WithStoreFactsAsync(listed[..2], write);
        var readsWithoutNewer = commands.All.Skip(before).ToList();
        var completed = await Catalog(scan).WithStoreFactsAsync(listed, write);
        await transaction.CommitAsync();

        Assert.Equal(["app-1"], write.ExternallyManaged);
        Assert.Equal(["app-3"], write.KeptNewer);
        Assert.True(flaggedOrNot[0].ExternallyManaged);
        Assert.Same(listed[1], flaggedOrNot[1]);
        Assert.Contains("FROM \"Owners\"", Assert.Single(readsWithoutNewer), StringComparison.Ordinal);
        Assert.True(completed[0].ExternallyManaged);
        Assert.Equal(Version("app-3", 2).DisplayName, completed[2].DisplayName);
    }

    [Fact]
    public async Task ADeletedAppSeenAgain_IsLiveAgain()
    {
        await WriteAsync([Version("app-1", 1)], Start);
        await Catalog(NewContext()).MarkDeletedAsync(["app-1"]);

        await WriteAsync([Version("app-1", 1)], Start.AddHours(1));

        Assert.NotNull(await Catalog(NewContext()).GetAsync("app-1"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AScanBatchAndARefreshOfOneOfItsApps_KeepTheRefresh_WhicheverTakesTheAppFirst(bool refreshFirst)
    {
        await WriteAsync([Version("app-1", 0), Version("app-2", 0)], Start);
        // The scan started (and read its page) before the refresh asked Graph, so the refresh saw the newer App.
        var scan = (Apps: new[] { Version("app-1", 1), Version("app-2", 1) }, ReadAt: Start.AddSeconds(1));
        var refresh = (Apps: new[] { Version("app-1", 2) }, ReadAt: Start.AddSeconds(2));
        var (first, second) = refreshFirst ? (refresh, scan) : (scan, refresh);

        await using var firstDb = NewContext();
        await using var firstTransaction = await firstDb.Database.BeginTransactionAsync();
        await Catalog(firstDb).UpsertSnapshotAsync(first.Apps, first.ReadAt);
        var secondWrite = Task.Run(() => WriteAsync(second.Apps, second.ReadAt));
        await Task.Delay(300);
        Assert.False(secondWrite.IsCompleted, "The second writer must wait for the first to commit.");
        await firstTransaction.CommitAsync();
        await secondWrite;

        await AssertStoredAsync("app-1", 2);
        await AssertStoredAsync("app-2", 1);
    }

    [Fact]
    public async Task ConcurrentWritersOfOverlappingBatches_NeverFailNorDuplicate_AndTheNewestReadWins()
    {
        const int Writers = 6;
        const int Rounds = 6;
        const int Apps = 30;
        var random = new Random(20261204);
        // Versions are dealt out of order, so writes from older reads often commit after newer ones.
        var versions = Enumerable.Range(1, Writers * Rounds).OrderBy(_ => random.Next()).ToArray();
        var batches = Enumerable.Range(0, Writers * Rounds)
            .Select(_ => Enumerable.Range(0, Apps).Where(_ => random.Next(3) > 0).OrderBy(_ => random.Next()).Select(i => $"race-{i:D2}").ToList())
            .ToArray();
        var written = new ConcurrentBag<(string App, int Version)>();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var slot = (writer * Rounds) + round;
                await using var db = NewContext();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await Catalog(db).UpsertSnapshotAsync([.. batches[slot].Select(id => Version(id, versions[slot]))], Start.AddSeconds(versions[slot]));
                await Task.Delay(versions[slot] % 4);
                await transaction.CommitAsync();
                foreach (var id in batches[slot])
                {
                    written.Add((id, versions[slot]));
                }
            }
        })));

        var newest = written.GroupBy(w => w.App).ToDictionary(g => g.Key, g => g.Max(w => w.Version));
        foreach (var (app, version) in newest)
        {
            await AssertStoredAsync(app, version);
        }

        await using var check = NewContext();
        Assert.Equal(newest.Sum(n => Version(n.Key, n.Value).Credentials.Count), await check.Credentials.CountAsync());
        Assert.Equal(newest.Sum(n => Version(n.Key, n.Value).Owners.Count), await check.Owners.CountAsync());
    }

    [Fact]
    public async Task TwentyChangesOfOneApp_AtOnce_AllLand_EachOnWhatTheOthersWrote()
    {
        // Twenty rotations of one App finishing together, each on its own connection and each stamped a second apart in
        // the opposite order to how they may commit: a change applied to a copy read before another change committed
        // would drop that other secret, and a change stamped before the one stored would be dropped itself.
        await WriteAsync([new App("app-1", "appid-1", "Payroll", AppKind.Application, [Secret("original", 30)], [Entra("alex")])], Start);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await using var db = NewContext();
            var added = Secret($"added-{i:D2}", 90);
            await Catalog(db).ChangeSnapshotAsync("app-1", app => app with { Credentials = [.. app.Credentials, added] }, Start.AddMinutes(1).AddSeconds(-i));
        })));

        var stored = (await Catalog(NewContext()).GetAsync("app-1"))!;
        var expected = Enumerable.Range(0, 20).Select(i => $"added-{i:D2}").Append("original").Order(StringComparer.Ordinal);
        Assert.Equal(expected, stored.Credentials.Select(c => c.KeyId).Order(StringComparer.Ordinal));
        Assert.Equal("alex", Assert.Single(stored.Owners).ObjectId);
    }

    [Fact]
    public async Task AChangeOfAnAppTheSnapshotDoesNotHave_WritesNothing_AndAScanPageReadBeforeTheChange_CannotUndoIt()
    {
        await using (var db = NewContext())
        {
            Assert.Null(await Catalog(db).ChangeSnapshotAsync("missing", app => app with { DisplayName = "x" }, Start));
        }

        var listed = new App("app-1", "appid-1", "Payroll", AppKind.Application, [Secret("old", 5)], [Entra("alex")]);
        await WriteAsync([listed], Start);
        await using (var db = NewContext())
        {
            await Catalog(db).ChangeSnapshotAsync("app-1", app => app with { Credentials = [.. app.Credentials.Where(c => c.KeyId != "old")] }, Start.AddMinutes(2));
        }

        // A scan page read a minute before the removal, still listing the old secret, lands afterwards: dropped.
        await WriteAsync([listed], Start.AddMinutes(1));

        Assert.Empty((await Catalog(NewContext()).GetAsync("app-1"))!.Credentials);
    }

    [Fact]
    public async Task TheFirstLoadOfAnEmptyStore_BuildsItsIndexesAfterTheRows_AndSearchFindsEverything()
    {
        await using var db = NewContext();
        var catalog = Catalog(db);
        var bulkLoad = await catalog.BeginBulkLoadAsync();
        var during = await SchemaObjectsAsync();
        await WriteAsync([Version("app-1", 1), Version("app-2", 1)], Start);
        await bulkLoad.DisposeAsync();

        Assert.Empty(DeferredIndexes.Intersect(during));
        Assert.Equal(store.Provider == StoreProvider.Sqlite, ChildKeys.All(k => !during.Contains(k)));
        Assert.Subset(await SchemaObjectsAsync(), DeferredIndexes.Concat(ChildKeys).ToHashSet());
        Assert.Equal(["Race app-1 v1"], (await Catalog(NewContext()).FindAsync("app-1 v", 10)).Select(a => a.DisplayName));
        Assert.Equal(2, (await Catalog(NewContext()).SearchAsync("shared owner", 10)).Count);
        Assert.Equal(["app-2"], (await Catalog(NewContext()).ListOwnedByAsync("person-1-app-2")).Select(a => a.ObjectId));
        if (store.Provider == StoreProvider.Postgres)
        {
            // Planned without statistics, the next scan's batch lookups would read whole tables.
            Assert.Equal(["Apps", "Credentials", "Owners", "People"], await TablesWithStatisticsAsync());
        }
    }

    [Fact]
    public async Task AnOwnerAddedWhileAFirstLoadRuns_IsFoundBySearchOnceItEnds()
    {
        await using var db = NewContext();
        var bulkLoad = await Catalog(db).BeginBulkLoadAsync();
        await WriteAsync([Version("app-1", 1)], Start);
        await using (var other = NewContext())
        {
            await new OwnershipStore(other, Time).AddOwnerAsync("app-1", new Owner(OwnerKind.Business, "business", "Bérénice Quartermaine", "bq@example.com", true, false));
        }

        await bulkLoad.DisposeAsync();

        Assert.Equal(["app-1"], (await Catalog(NewContext()).SearchAsync("quartermaine", 10)).Select(a => a.ObjectId));
        Assert.Equal(["app-1"], (await Catalog(NewContext()).SearchAsync("bq@exa", 10)).Select(a => a.ObjectId));
    }

    [Fact]
    public async Task AnAppRefreshedWhileAFirstLoadRuns_GetsItsChanges_WithEachKeyHeldOnce()
    {
        await using var db = NewContext();
        var bulkLoad = await Catalog(db).BeginBulkLoadAsync();
        await WriteAsync([Version("app-1", 1), Version("app-2", 1)], Start);
        await WriteAsync([Version("app-1", 2)], Start.AddMinutes(1));
        await WriteAsync([Version("app-2", 1), Version("app-3", 1)], Start.AddMinutes(2));
        await bulkLoad.DisposeAsync();

        await AssertStoredAsync("app-1", 2);
        await AssertStoredAsync("app-2", 1);
        await AssertStoredAsync("app-3", 1);
        await AssertEachKeyHeldOnceAsync("app-1");
        await AssertEachKeyHeldOnceAsync("app-3");
    }

    [Fact]
    public async Task AFirstLoadMeetingAppsAlreadyStored_TakesThemAsAnyOtherWriteWould()
    {
        // The loading catalog inserts before it reads: the Apps it cannot insert must still be compared, and dropped when
        // a newer read is stored, exactly as a write that reads first does.
        await using var db = NewContext();
        var loading = Catalog(db);
        var bulkLoad = await loading.BeginBulkLoadAsync();
        await loading.UpsertSnapshotAsync([Version("app-1", 1), Version("app-2", 1)], Start);
        await WriteAsync([Version("app-3", 2)], Start.AddMinutes(2));

        var write = await loading.UpsertSnapshotAsync([Version("app-1", 1), Version("app-2", 3), Version("app-3", 1), Version("app-4", 1)], Start.AddMinutes(1));
        await bulkLoad.DisposeAsync();

        Assert.Equal(new SnapshotWriteCounts(Inserted: 1, Changed: 1, Unchanged: 1, Stale: 1), write.Counts);
        Assert.Equal(["app-4"], write.Inserted);
        Assert.Equal(["app-3"], write.KeptNewer);
        await AssertStoredAsync("app-1", 1);
        await AssertStoredAsync("app-2", 3);
        await AssertStoredAsync("app-3", 2);
        await AssertStoredAsync("app-4", 1);
        foreach (var app in new[] { "app-1", "app-2", "app-3", "app-4" })
        {
            await AssertEachKeyHeldOnceAsync(app);
        }
    }

    [Fact]
    public async Task WritersBringingTheSameNewNamesInOppositeOrders_AllCommit()
    {
        // Each write adds an App owned by one person and renames the other on an App it already has: it writes the owner
        // rows of new Apps, then those of changed ones, so the two take the two people in opposite orders.
        await WriteAsync([Owned("kept-a", "renamed-b", 0), Owned("kept-b", "renamed-a", 0)], Start);
        for (var round = 1; round <= 30; round++)
        {
            var readAt = Start.AddMinutes(round);
            using var bothReady = new Barrier(2);
            var first = Owned($"new-a-{round}", "renamed-a", round);
            var second = Owned($"new-b-{round}", "renamed-b", round);
            await Task.WhenAll(
                Task.Run(() => WriteAsync([first, Owned("kept-a", "renamed-b", round)], readAt, bothReady)),
                Task.Run(() => WriteAsync([second, Owned("kept-b", "renamed-a", round)], readAt, bothReady)));
        }

        // Search finds a person's Apps by the names the person has now: every App renamed-a ever got, and kept-b.
        Assert.Equal(31, (await Catalog(NewContext()).SearchAsync("person renamed-a in round 30", 100)).Count);
        Assert.Empty(await Catalog(NewContext()).SearchAsync("person renamed-a in round 29", 10));
    }

    [Fact]
    public async Task ABulkLoadOnAStoreThatHasApps_ChangesNothing()
    {
        await WriteAsync([Version("app-1", 1)], Start);
        var before = await SchemaObjectsAsync();

        await using (await Catalog(NewContext()).BeginBulkLoadAsync())
        {
            Assert.Equal(before, await SchemaObjectsAsync());
        }

        Assert.Equal(before, await SchemaObjectsAsync());
    }

    [Fact]
    public async Task AFirstLoadThatNeverFinished_IsRepairedByTheNextStart()
    {
        var complete = await SchemaObjectsAsync();
        await using (var db = NewContext())
        {
            // The process dies here: the scope is never disposed, the rows are committed.
            await Catalog(db).BeginBulkLoadAsync();
            await WriteAsync([Version("app-1", 1)], Start);
        }

        Assert.NotEqual(complete, await SchemaObjectsAsync());
        await using (var db = NewContext())
        {
            await StoreDatabase.MigrateAsync(db);
        }

        Assert.Equal(complete, await SchemaObjectsAsync());
        await AssertEachKeyHeldOnceAsync("app-1");
        Assert.Equal(["Race app-1 v1"], (await Catalog(NewContext()).SearchAsync("race app", 10)).Select(a => a.DisplayName));
        Assert.Single(await Catalog(NewContext()).SearchAsync("shared owner", 10));
    }

    [Fact]
    public async Task InstancesRepairingTheIndexesAtOnce_AllSucceed_AndLeaveEachIndexOnce()
    {
        var complete = await SchemaObjectsAsync();
        for (var round = 0; round < 10; round++)
        {
            await using (var db = NewContext())
            {
                Assert.True(await SnapshotIndexes.DeferIfEmptyAsync(db, CancellationToken.None));
            }

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await using var db = NewContext();
                await SnapshotIndexes.EnsureAsync(db);
            })));

            Assert.Equal(complete, await SchemaObjectsAsync());
        }
    }

    [Fact]
    public async Task AStoreUpgradedFromBeforeSearchIndexes_FindsTheAppsItAlreadyHad()
    {
        await using (var db = NewContext())
        {
            var before = db.Database.GetMigrations().Single(m => m.EndsWith("_SnapshotContentHash", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(before);
        }

        await WriteAsync([Version("app-1", 1)], Start);
        await using (var db = NewContext())
        {
            await StoreDatabase.MigrateAsync(db);
        }

        Assert.Equal(["Race app-1 v1"], (await Catalog(NewContext()).FindAsync("ace app-", 10)).Select(a => a.DisplayName));
        Assert.Single(await Catalog(NewContext()).SearchAsync("shared owner", 10));
    }

    private CredentialBotDbContext NewContext() => store.NewContext();

    /// <summary>What the directory says of <paramref name="id"/> in one version: name, credentials and owners all depend on it.</summary>
    private App Version(string id, int version) => new(
        id,
        $"appid-{id}",
        $"Race {id} v{version}",
        AppKind.Application,
        [Secret("shared", version), Secret($"key-{version % 3}", version + 100)],
        [Entra("shared-owner") with { DisplayName = $"Shared Owner {version}" }, Entra($"person-{version % 4}-{id}")]);

    private Credential Secret(string keyId, int days) => new(keyId, CredentialKind.Secret, $"secret {keyId}", Start, Start.AddDays(days));

    private static Owner Entra(string person) => new(OwnerKind.Entra, person, $"Person {person}", $"{person}@example.com");

    private async Task AssertStoredAsync(string id, int version)
    {
        var expected = Version(id, version);
        var stored = await Catalog(NewContext()).GetAsync(id);
        Assert.NotNull(stored);
        Assert.Equal(expected.DisplayName, stored.DisplayName);
        Assert.Equal(expected.Credentials.OrderBy(c => c.KeyId), stored.Credentials.OrderBy(c => c.KeyId));
        Assert.Equal(expected.Owners.Select(o => (o.ObjectId, o.DisplayName)).Order(), stored.Owners.Select(o => (o.ObjectId, o.DisplayName)).Order());
    }

    /// <summary>An App owned by <paramref name="person"/> under the name that person has in <paramref name="round"/>.</summary>
    private static App Owned(string id, string person, int round) => new(
        id, $"appid-{id}", $"Owned {id}", AppKind.Application, [], [Entra(person) with { DisplayName = $"Person {person} in round {round}" }]);

    /// <summary>
    /// Writes in a transaction of its own, as a scan batch does; with <paramref name="ready"/>, only once every writer is
    /// about to begin (SQLite's transactions take the write lock as they begin, so waiting after that would never end).
    /// </summary>
    private async Task<SnapshotWriteCounts> WriteAsync(IReadOnlyCollection<App> apps, DateTimeOffset readAt, Barrier? ready = null)
    {
        await using var db = NewContext();
        await db.Database.OpenConnectionAsync();
        ready?.SignalAndWait();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var write = await Catalog(db).UpsertSnapshotAsync(apps, readAt);
        await transaction.CommitAsync();
        return write.Counts;
    }

    /// <summary>A copy of any of the App's credential or owner rows is refused: the unique keys are in place.</summary>
    private async Task AssertEachKeyHeldOnceAsync(string app)
    {
        await using var db = NewContext();
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "Credentials" ("AppObjectId", "KeyId", "Kind", "DisplayName", "StartsAt", "EndsAt")
            SELECT "AppObjectId", "KeyId", "Kind", "DisplayName", "StartsAt", "EndsAt" FROM "Credentials" WHERE "AppObjectId" = {app}
            """));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "Owners" ("AppObjectId", "PersonObjectId", "Kind", "DisplayName", "UserPrincipalName", "AccountEnabled", "Deleted", "ManageCredentials", "UpdatedAt")
            SELECT "AppObjectId", "PersonObjectId", "Kind", "DisplayName", "UserPrincipalName", "AccountEnabled", "Deleted", "ManageCredentials", "UpdatedAt" FROM "Owners" WHERE "AppObjectId" = {app}
            """));
    }

    /// <summary>The database row id of each credential (by key id) and owner (by person) of an App.</summary>
    private async Task<Dictionary<string, long>> RowIdsAsync(string app)
    {
        await using var db = NewContext();
        var credentials = await db.Credentials.AsNoTracking().Where(c => c.AppObjectId == app).ToDictionaryAsync(c => c.KeyId, c => c.Id);
        var owners = await db.Owners.AsNoTracking().Where(o => o.AppObjectId == app).ToDictionaryAsync(o => o.PersonObjectId, o => o.Id);
        return credentials.Concat(owners).ToDictionary();
    }

    /// <summary>The names of the store's indexes and triggers.</summary>
    private async Task<HashSet<string>> SchemaObjectsAsync()
    {
        await using var db = NewContext();
        var sql = db.Database.IsNpgsql()
            ? """
              SELECT indexname AS "Value" FROM pg_indexes WHERE schemaname = current_schema()
              UNION ALL
              SELECT t.tgname FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
              """
            : "SELECT name AS \"Value\" FROM sqlite_master WHERE type IN ('index', 'trigger')";
        return [.. await db.Database.SqlQueryRaw<string>(sql).ToListAsync()];
    }

    /// <summary>The snapshot's tables PostgreSQL holds planner statistics for (<c>pg_stats</c>, written by ANALYZE).</summary>
    private async Task<List<string>> TablesWithStatisticsAsync()
    {
        await using var db = NewContext();
        return await db.Database.SqlQueryRaw<string>(
            """
            SELECT DISTINCT tablename AS "Value" FROM pg_stats
            WHERE schemaname = current_schema() AND tablename IN ('Apps', 'Credentials', 'Owners', 'People')
            ORDER BY 1
            """).ToListAsync();
    }

    private AppCatalog Catalog(CredentialBotDbContext db) => new(db, Time);
}
