using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Store.Tests;

/// <summary>The snapshot of Apps that chat commands read, and how they find Apps in it; run on SQLite and PostgreSQL.</summary>
public abstract class AppCatalogTests(ITestStore store) : IAsyncLifetime
{
    private const string Alex = "person-alex";
    private const string Megan = "person-megan";

    private FakeTimeProvider Time => store.Time;

    private DateTimeOffset Now => Time.GetUtcNow();

    public Task InitializeAsync() => store.InitializeAsync();

    public Task DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task AnUpsertedApp_ReadsBackWithCredentialsAndOwners()
    {
        var app = new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll API").WithTag("finance")
            .WithSecretExpiringIn(10, "prod").WithCertificateExpiringIn(60, "signing").WithOwner(OwnerKind.Entra, Alex, "Alex Wilber").Build();

        await Catalog().UpsertSnapshotAsync([app], Now);
        var read = await Catalog().GetAsync("obj-1");

        Assert.NotNull(read);
        Assert.Equal("Payroll API", read.DisplayName);
        Assert.Equal(["finance"], read.TagsOrEmpty);
        Assert.Equal(2, read.Credentials.Count);
        Assert.Equal(app.NearestExpiry, read.NearestExpiry);
        Assert.True(read.IsOwnedBy(Alex));
    }

    [Fact]
    public async Task ARescan_ReplacesCredentialsAndEntraOwners_ButKeepsTechnicalAndBusinessOwners()
    {
        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll API").WithSecretExpiringIn(10, "old").WithOwner(OwnerKind.Entra, Alex).Build()], Now);
        await using (var db = NewContext())
        {
            await new OwnershipStore(db, Time).AddOwnerAsync("obj-1", new Owner(OwnerKind.Technical, Megan, "Megan Bowen", null, true, false, CanManageCredentials: true));
        }

        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll API v2").WithSecretExpiringIn(300, "new").Build()], Now);
        var read = (await Catalog().GetAsync("obj-1"))!;

        Assert.Equal("Payroll API v2", read.DisplayName);
        Assert.Equal("new", Assert.Single(read.Credentials).DisplayName);
        Assert.Empty(read.OwnersOf(OwnerKind.Entra));
        var technical = Assert.Single(read.OwnersOf(OwnerKind.Technical));
        Assert.Equal(Megan, technical.ObjectId);
        Assert.True(technical.CanManageCredentials);
    }

    [Fact]
    public async Task Find_PutsExactIdsAndNamesFirst_ThenPartialMatchesAlphabetically()
    {
        await SeedNamedAsync("Payroll", "Payroll API", "Legacy payroll export", "Expenses");

        Assert.Equal(["Payroll", "Legacy payroll export", "Payroll API"], (await Catalog().FindAsync("PAYROLL", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Expenses"], (await Catalog().FindAsync("app-4", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Expenses"], (await Catalog().FindAsync("  OBJ-4 ", 10)).Select(a => a.DisplayName));
        Assert.Equal(2, (await Catalog().FindAsync("payroll", 2)).Count);
        Assert.Empty(await Catalog().FindAsync("   ", 10));
    }

    [Fact]
    public async Task FindExact_ListsOnlyAppsNamedOrIdentifiedByTheQuery()
    {
        await SeedNamedAsync("Payroll", "Payroll API", "payroll", "Expenses");

        Assert.Equal(["obj-1", "obj-3"], (await Catalog().FindExactAsync(" PAYROLL ", 10)).Select(a => a.ObjectId).Order());
        Assert.Equal(["Expenses"], (await Catalog().FindExactAsync("APP-4", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Expenses"], (await Catalog().FindExactAsync("obj-4", 10)).Select(a => a.DisplayName));
        Assert.Single(await Catalog().FindExactAsync("payroll", 1));
        Assert.Empty(await Catalog().FindExactAsync("Payroll A", 10));
        Assert.Empty(await Catalog().FindExactAsync("  ", 10));
    }

    [Fact]
    public async Task PagingThroughExpiringApps_ListsEachOfThatKindOnce_InOrder_AndNothingElse()
    {
        var apps = Enumerable.Range(1, 30).Select(i =>
        {
            var builder = new AppBuilder(Now).WithIds($"obj-{i:D2}", $"app-{i:D2}").Named($"App {i:D2}")
                .WithSecretExpiringIn(i % 3 == 0 ? 10 : 400, "first").WithSecretExpiringIn(i % 5 == 0 ? 20 : 500, "second");
            return (i % 7 == 0 ? builder.AsServicePrincipal() : builder).Build();
        }).ToList();
        await Catalog().UpsertSnapshotAsync(apps, Now);
        var expected = apps.Where(a => a.Kind == AppKind.Application && a.Credentials.Any(c => c.EndsAt < Now.AddDays(30))).Select(a => a.ObjectId).ToList();

        var listed = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await Catalog().ListPageAsync(after, 3, AppKind.Application, Now.AddDays(30));
            if (page.Count == 0)
            {
                break;
            }

            listed.AddRange(page.Select(a => a.ObjectId));
            after = page[^1].ObjectId;
        }

        Assert.Equal(expected, listed);
        Assert.True(expected.Count > 6);
    }

    [Fact]
    public async Task PagingThroughTheCatalog_GivesEachAppItsOwnCredentialsAndOwners_WhateverLiesBetweenItsApps()
    {
        // A page's children are read within its first and last ids; here those ranges hold deleted Apps and Apps of the
        // other kind, each with children of its own that must not reach any listed App.
        var apps = Enumerable.Range(1, 20).Select(i =>
        {
            var builder = new AppBuilder(Now).WithIds($"obj-{i:D2}", $"app-{i:D2}").Named($"App {i:D2}")
                .WithSecretExpiringIn(10 + i, $"{i:D2} first").WithCertificateExpiringIn(400, $"{i:D2} second")
                .WithOwner(OwnerKind.Entra, $"person-{i:D2}").WithOwner(OwnerKind.Entra, $"person-{i:D2}-b");
            return (i % 3 == 0 ? builder.AsServicePrincipal() : builder).Build();
        }).ToList();
        await Catalog().UpsertSnapshotAsync(apps, Now);
        string[] deleted = ["obj-01", "obj-05", "obj-10", "obj-11", "obj-20"];
        await Catalog().MarkDeletedAsync(deleted);

        foreach (var kind in new AppKind?[] { null, AppKind.Application, AppKind.ServicePrincipal })
        {
            var listed = new List<App>();
            string? after = null;
            IReadOnlyList<App> page;
            do
            {
                page = await Catalog().ListPageAsync(after, 4, kind);
                listed.AddRange(page);
                after = page.Count > 0 ? page[^1].ObjectId : after;
            }
            while (page.Count == 4);

            var expected = apps.Where(a => !deleted.Contains(a.ObjectId) && (kind is null || a.Kind == kind)).ToList();
            Assert.Equal(expected.Select(a => a.ObjectId), listed.Select(a => a.ObjectId));
            Assert.All(expected.Zip(listed), pair =>
            {
                Assert.Equal(pair.First.Credentials.Select(c => c.DisplayName), pair.Second.Credentials.Select(c => c.DisplayName));
                Assert.Equal(pair.First.Owners.Select(o => o.ObjectId).Order(), pair.Second.Owners.Select(o => o.ObjectId).Order());
            });
        }
    }

    /// <summary>Apps obj-1/app-1, obj-2/app-2, … named in order.</summary>
    private Task<SnapshotWrite> SeedNamedAsync(params string[] names) =>
        Catalog().UpsertSnapshotAsync([.. names.Select((name, i) => new AppBuilder(Now).WithIds($"obj-{i + 1}", $"app-{i + 1}").Named(name).Build())], Now);

    [Fact]
    public async Task Find_TreatsLikeWildcardsAndSearchSyntaxAsText()
    {
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("100% \"quoted\" AND app_name*").Build(),
        ], Now);

        Assert.Empty(await Catalog().FindAsync("%", 10));
        Assert.Empty(await Catalog().FindAsync("_", 10));
        Assert.Empty(await Catalog().FindAsync("pay%", 10));
        Assert.Empty(await Catalog().FindAsync("p_yroll", 10));
        Assert.Empty(await Catalog().SearchAsync("NEAR(pay roll)", 10));
        Assert.Equal(["100% \"quoted\" AND app_name*"], (await Catalog().SearchAsync("% \"quoted\" and app_", 10)).Select(a => a.DisplayName));
        Assert.Equal(["100% \"quoted\" AND app_name*"], (await Catalog().SearchAsync("name*", 10)).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task QueriesShorterThanThreeCharacters_MatchTheStartOfNames()
    {
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Payroll API").Build(),
            new AppBuilder(Now).WithIds("obj-3", "app-3").Named("Legacy payroll export").Build(),
            new AppBuilder(Now).WithIds("obj-4", "app-4").Named("pz").Build(),
        ], Now);

        Assert.Equal(["Payroll", "Payroll API"], (await Catalog().FindAsync("Pa", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Payroll", "Payroll API", "pz"], (await Catalog().SearchAsync("p", 10)).Select(a => a.DisplayName));
        Assert.Equal(["pz"], (await Catalog().FindAsync("PZ", 10)).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task Find_ManyPartialMatches_AreListedInNameOrder_HoweverManyTheIndexReturns()
    {
        // More matches than the index hands over as candidates (AppSearch.SparseLimit), so the names are walked in order;
        // and a rare match beside them, found through the candidates.
        var apps = Enumerable.Range(0, 1_100).Select(i => new AppBuilder(Now).WithIds($"bulk-{i:D4}", $"bulk-app-{i:D4}").Named($"Bulk Item {1_099 - i:D4}").Build()).ToList();
        apps.Add(new AppBuilder(Now).WithIds("rare-1", "rare-app-1").Named("Zebra widget").Build());
        apps.Add(new AppBuilder(Now).WithIds("rare-2", "rare-app-2").Named("A widget too").Build());
        await Catalog().UpsertSnapshotAsync(apps, Now);

        Assert.Equal(["Bulk Item 0000", "Bulk Item 0001", "Bulk Item 0002"], (await Catalog().FindAsync("bulk item", 3)).Select(a => a.DisplayName));
        Assert.Equal(["Bulk Item 1099"], (await Catalog().FindAsync("item 1099", 3)).Select(a => a.DisplayName));
        Assert.Equal(["A widget too", "Zebra widget"], (await Catalog().FindAsync("WIDGET", 10)).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task Find_ManyMatchesThatAllSortLast_AreStillTheFirstInNameOrder()
    {
        // Dense matches (more than the index hands over as candidates) that cluster past the names a walk reads
        // (AppSearch.WalkLimit), as every "Woodgrove …" App sorts after the rest of a tenant; one of them deleted, and
        // one named exactly as asked, which Find lists first and the name search must not list again.
        var apps = Enumerable.Range(0, AppSearch.WalkLimit + 100)
            .Select(i => new AppBuilder(Now).WithIds($"early-{i:D5}", $"early-app-{i:D5}").Named($"Alpine tool {i:D5}").Build())
            .Concat(Enumerable.Range(0, AppSearch.SparseLimit + 100)
                .Select(i => new AppBuilder(Now).WithIds($"late-{i:D5}", $"late-app-{i:D5}").Named($"Woodgrove service {i:D5}").Build()))
            .Append(new AppBuilder(Now).WithIds("exact", "exact-app").Named("Woodgrove").Build());
        foreach (var chunk in apps.Chunk(1_000))
        {
            await Catalog().UpsertSnapshotAsync(chunk, Now);
        }

        await Catalog().MarkDeletedAsync(["late-00000"]);

        Assert.Equal(["Woodgrove service 00001", "Woodgrove service 00002", "Woodgrove service 00003"],
            (await Catalog().FindAsync("ODGROVE SERV", 3)).Select(a => a.DisplayName));
        Assert.Equal(["Woodgrove", "Woodgrove service 00001", "Woodgrove service 00002"],
            (await Catalog().FindAsync("woodgrove", 3)).Select(a => a.DisplayName));
        Assert.Equal(["Woodgrove service 00001", "Woodgrove service 00002"],
            (await Catalog().SearchAsync("grove serv", 2)).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task Search_FindsAppsByAnyOwnersNameOrUserPrincipalName_AfterTheAppMatches()
    {
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").WithOwner(OwnerKind.Entra, Alex, "Alex Wilber").Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Expenses").WithOwner(OwnerKind.Entra, Megan, "Megan Bowen").Build(),
            new AppBuilder(Now).WithIds("obj-3", "app-3").Named("Wilber's tool").Build(),
        ], Now);
        await using (var db = NewContext())
        {
            await new OwnershipStore(db, Time).AddOwnerAsync("obj-2", new Owner(OwnerKind.Business, "person-émile", "Émile Zola", "emile@contoso.com", true, false));
        }

        Assert.Equal(["Wilber's tool", "Payroll"], (await Catalog().SearchAsync("WILBER", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Expenses"], (await Catalog().SearchAsync("person-megan@EXAMPLE", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Expenses"], (await Catalog().SearchAsync("MILE ZOL", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Expenses"], (await Catalog().SearchAsync("@contoso", 10)).Select(a => a.DisplayName));
        Assert.Empty(await Catalog().FindAsync("wilber@", 10));
    }

    [Fact]
    public async Task Search_FindsAPersonsAppsByTheNamesTheyHaveNow_NotByTheirFormerNames()
    {
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").WithOwner(OwnerKind.Entra, Alex, "Alex Wilber").Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Expenses").WithOwner(OwnerKind.Entra, Alex, "Alex Wilber").Build(),
        ], Now);
        Time.Advance(TimeSpan.FromMinutes(1));

        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").WithOwner(OwnerKind.Entra, Alex, "Alex Carter").Build()], Now);

        Assert.Equal(["Expenses", "Payroll"], (await Catalog().SearchAsync("carter", 10)).Select(a => a.DisplayName));
        Assert.Empty(await Catalog().SearchAsync("wilber", 10));
    }

    [Fact]
    public async Task Search_ForAnOwnerOfMoreAppsThanTheIndexIsAskedFor_ListsTheFirstByName()
    {
        var apps = Enumerable.Range(0, AppSearch.SparseLimit + 5)
            .Select(i => new AppBuilder(Now).WithIds($"obj-{i}", $"app-{i}").Named($"Service {i:D5}").WithOwner(OwnerKind.Entra, Megan, "Megan Bowen").Build())
            .Append(new AppBuilder(Now).WithIds("obj-alex", "app-alex").Named("Another service").WithOwner(OwnerKind.Entra, Alex, "Alex Wilber").Build())
            .ToList();
        await Catalog().UpsertSnapshotAsync(apps, Now);

        Assert.Equal(["Service 00000", "Service 00001", "Service 00002"], (await Catalog().SearchAsync("megan bow", 3)).Select(a => a.DisplayName));
        Assert.Equal(["Another service"], (await Catalog().SearchAsync("wilber", 3)).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task ARenamedApp_IsFoundByItsNewName_AndADeletedOneNotAtAll()
    {
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Payroll archive").Build(),
        ], Now);
        Time.Advance(TimeSpan.FromMinutes(1));

        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Salaries").Build()], Now);
        await Catalog().MarkDeletedAsync(["obj-2"]);

        Assert.Empty(await Catalog().SearchAsync("payroll", 10));
        Assert.Equal(["Salaries"], (await Catalog().SearchAsync("alarie", 10)).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task OwnedBy_CountsEveryKindOfOwner()
    {
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Entra-owned").WithOwner(OwnerKind.Entra, Alex).Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Store-owned").Build(),
            new AppBuilder(Now).WithIds("obj-3", "app-3").Named("Someone else's").WithOwner(OwnerKind.Entra, Megan).Build(),
        ], Now);
        await using (var db = NewContext())
        {
            await new OwnershipStore(db, Time).AddOwnerAsync("obj-2", new Owner(OwnerKind.Business, Alex, "Alex Wilber", null, true, false));
        }

        var mine = await Catalog().ListOwnedByAsync(Alex);

        Assert.Equal(["Entra-owned", "Store-owned"], mine.Select(a => a.DisplayName).Order());
    }

    [Fact]
    public async Task AppsAScanNoLongerSees_AreMarkedDeleted_AndDisappearFromReads()
    {
        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Gone").Build()], Now);
        Time.Advance(TimeSpan.FromHours(1));
        var scanStarted = Now;
        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Still here").Build()], Now);

        Assert.Equal(1, await Catalog().MarkMissingAsDeletedAsync(AppKind.Application, scanStarted));
        Assert.Null(await Catalog().GetAsync("obj-1"));
        Assert.Equal(1, await Catalog().CountAsync());
    }

    [Fact]
    public async Task ListedAppsCompletedFromTheStore_AreAsStored_WhenTheStoreHoldsANewerRead()
    {
        var scanStarted = Now;
        var listed = new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll API").WithSecretExpiringIn(5, "old").WithOwner(OwnerKind.Entra, Alex).Build();
        var unchanged = new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Billing").WithSecretExpiringIn(90, "billing").Build();
        await Catalog().UpsertSnapshotAsync([listed, unchanged], scanStarted);
        await using (var db = NewContext())
        {
            await new OwnershipStore(db, Time).AddOwnerAsync("obj-2", new Owner(OwnerKind.Business, Megan, "Megan Bowen", null, true, false));
        }

        // A rotation confirmed by Graph after the listing read obj-1: its write of the older read was dropped.
        Time.Advance(TimeSpan.FromSeconds(5));
        await Catalog().ChangeSnapshotAsync("obj-1", app => app with { Credentials = [.. app.Credentials, new Credential("key-new", CredentialKind.Secret, "new", Now, Now.AddDays(180))] }, Now);
        var write = await Catalog().UpsertSnapshotAsync([listed, unchanged], scanStarted);

        var completed = await Catalog().WithStoreFactsAsync([listed, unchanged], write);

        Assert.Equal(["new", "old"], completed[0].Credentials.Select(c => c.DisplayName).Order());
        Assert.True(completed[0].IsOwnedBy(Alex));
        Assert.Equal(["billing"], completed[1].Credentials.Select(c => c.DisplayName));
        Assert.Equal(Megan, Assert.Single(completed[1].OwnersOf(OwnerKind.Business)).ObjectId);
    }

    [Fact]
    public async Task AnOwnerForAnUnknownApp_IsRefused_AndEntraOwnersAreNotStoreOwned()
    {
        await using var db = NewContext();
        var ownership = new OwnershipStore(db, Time);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => ownership.AddOwnerAsync("nope", new Owner(OwnerKind.Technical, Alex, "Alex", null, true, false)));
        await Assert.ThrowsAsync<ArgumentException>(() => ownership.AddOwnerAsync("nope", new Owner(OwnerKind.Entra, Alex, "Alex", null, true, false)));
    }

    [Fact]
    public async Task AnAppWithoutCredentials_OrWithoutOwners_ReadsBackWithTheOthersWhole()
    {
        var ownersOnly = new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Owned, nothing to expire")
            .WithOwner(OwnerKind.Entra, Alex, "Alex Wilber").WithOwner(OwnerKind.Entra, Megan, "Megan Bowen").Build();
        var credentialsOnly = new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Orphaned")
            .WithSecretExpiringIn(10, "prod").WithSecretExpiringIn(20, "test").Build();
        var bare = new AppBuilder(Now).WithIds("obj-3", "app-3").Named("Bare").Build();
        await Catalog().UpsertSnapshotAsync([ownersOnly, credentialsOnly, bare], Now);

        var first = (await Catalog().GetAsync("obj-1"))!;
        var second = (await Catalog().GetAsync("obj-2"))!;
        var third = (await Catalog().GetAsync("obj-3"))!;

        Assert.Equal((0, 2), (first.Credentials.Count, first.Owners.Count));
        Assert.Equal(["prod", "test"], second.Credentials.Select(c => c.DisplayName).Order());
        Assert.Empty(second.Owners);
        Assert.Equal(("Bare", 0, 0), (third.DisplayName, third.Credentials.Count, third.Owners.Count));
    }

    [Fact]
    public async Task AnAppWithManyCredentialsAndOwners_IsReadByThreeStatements_EachOfThemOnce()
    {
        var built = new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Busy API");
        foreach (var i in Enumerable.Range(0, 12))
        {
            built.WithSecretExpiringIn(10 + i, $"secret-{i}");
        }

        foreach (var i in Enumerable.Range(0, 9))
        {
            built.WithOwner(OwnerKind.Entra, $"entra-{i}", $"Entra Owner {i}");
        }

        var app = built.Build();
        await Catalog().UpsertSnapshotAsync([app], Now);
        await using (var db = NewContext())
        {
            var ownership = new OwnershipStore(db, Time);
            foreach (var i in Enumerable.Range(0, 5))
            {
                await ownership.AddOwnerAsync("obj-1", new Owner(OwnerKind.Technical, $"tech-{i}", $"Tech Owner {i}", null, true, false, CanManageCredentials: true));
            }

            // The same person as an Entra and a business owner: two owners, each once.
            await ownership.AddOwnerAsync("obj-1", new Owner(OwnerKind.Business, "entra-0", "Entra Owner 0", null, true, false));
        }

        var logs = new LogCapture();
        var read = await new AppCatalog(store.NewContext(logs), Time).GetAsync("obj-1");

        Assert.NotNull(read);
        Assert.Equal(app.Credentials.Select(c => c.KeyId).Order(StringComparer.Ordinal), read.Credentials.Select(c => c.KeyId));
        Assert.Equal(app.Credentials.Select(c => (c.KeyId, c.DisplayName, c.EndsAt)).Order(), read.Credentials.Select(c => (c.KeyId, c.DisplayName, c.EndsAt)).Order());
        Assert.Equal(15, read.Owners.Count);
        Assert.Equal(15, read.Owners.Select(o => (o.Kind, o.ObjectId)).Distinct().Count());
        Assert.Equal(9, read.OwnersOf(OwnerKind.Entra).Count());
        Assert.Equal(5, read.OwnersOf(OwnerKind.Technical).Count(o => o.CanManageCredentials));
        Assert.Equal("entra-0", Assert.Single(read.OwnersOf(OwnerKind.Business)).ObjectId);
        // The App, its credentials, its owners: no join repeating each credential once per owner.
        Assert.Equal(3, logs.Lines.Count(line => line.Contains("Executed DbCommand", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AWriteLandingBetweenTheStatementsOfARead_IsNotHalfSeen_ByOneAppOrSeveral()
    {
        var before = new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll")
            .WithSecretExpiringIn(10, "old-1").WithSecretExpiringIn(20, "old-2").WithOwner(OwnerKind.Entra, Alex, "Alex Wilber").Build();
        var after = new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll")
            .WithSecretExpiringIn(30, "new").WithOwner(OwnerKind.Entra, Megan, "Megan Bowen").Build();

        async Task<App?> ReadWhileRotatedAsync(Func<AppCatalog, Task<App?>> read)
        {
            await Catalog().UpsertSnapshotAsync([before], Now);
            Time.Advance(TimeSpan.FromMinutes(1));
            var readStartedAt = Now;
            // Once the App's row is read, a rotation (another connection, as another request) replaces its credentials
            // and owners and commits, before the read's next statement runs.
            var rotation = new AfterFirstRead("Apps", () => Catalog().UpsertSnapshotAsync([after], readStartedAt).GetAwaiter().GetResult());
            await using var db = store.NewContext(rotation);
            var app = await read(new AppCatalog(db, Time));
            Assert.True(rotation.Ran);
            return app;
        }

        string Seen(App? app) => string.Join(", ", app!.Credentials.Select(c => c.DisplayName).Concat(app.Owners.Select(o => o.DisplayName)));

        Assert.Equal("old-1, old-2, Alex Wilber", Seen(await ReadWhileRotatedAsync(catalog => catalog.GetAsync("obj-1"))));
        Assert.Equal("new, Megan Bowen", Seen(await Catalog().GetAsync("obj-1")));
        Assert.Equal("old-1, old-2, Alex Wilber", Seen(await ReadWhileRotatedAsync(async catalog => (await catalog.GetManyAsync(["obj-1", "obj-2"])).Single())));
        Assert.Equal("new, Megan Bowen", Seen(await Catalog().GetAsync("obj-1")));
    }

    [Fact]
    public async Task FindingAnAppByItsExactName_TakesFiveStatements_WhenNoOtherNameContainsIt()
    {
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll API").WithSecretExpiringIn(10).WithOwner(OwnerKind.Entra, Alex).Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Payroll").Build(),
        ], Now);
        var logs = new LogCapture();

        var found = await new AppCatalog(store.NewContext(logs), Time).FindAsync("payroll api", 10);

        // The exact match, the substring index (which offers the exact match again, and nothing else), then the App, its
        // credentials and its owners.
        Assert.Equal(["Payroll API"], found.Select(a => a.DisplayName));
        Assert.Equal(5, logs.Lines.Count(line => line.Contains("Executed DbCommand", StringComparison.Ordinal)));
        Assert.Equal(["Payroll", "Payroll API"], (await Catalog().FindAsync("payroll", 10)).Select(a => a.DisplayName));
    }

    [Fact]
    public async Task ADeletedApp_IsNotFound_ByAnyRead()
    {
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").WithSecretExpiringIn(10).WithOwner(OwnerKind.Entra, Alex).Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Expenses").WithSecretExpiringIn(10).WithOwner(OwnerKind.Entra, Alex).Build(),
        ], Now);
        Assert.NotNull(await Catalog().GetAsync("obj-1"));

        await Catalog().MarkDeletedAsync(["obj-1"]);

        Assert.Null(await Catalog().GetAsync("obj-1"));
        Assert.Empty(await Catalog().GetManyAsync(["obj-1"]));
        Assert.Equal(["obj-2"], (await Catalog().GetManyAsync(["obj-1", "obj-2"])).Select(a => a.ObjectId));
        Assert.Empty(await Catalog().FindAsync("obj-1", 10));
        Assert.Empty(await Catalog().FindAsync("Payroll", 10));
        Assert.Equal(["obj-2"], (await Catalog().ListOwnedByAsync(Alex)).Select(a => a.ObjectId));
        Assert.Null(await Catalog().ChangeSnapshotAsync("obj-1", a => a with { DisplayName = "Back" }, Now));
        Assert.Null(await Catalog().GetAsync("obj-1"));
    }

    [Fact]
    public async Task OwnersAndCredentials_ComeBackInTheSameOrder_WhicheverReadLoadsTheApp()
    {
        // Owners by kind, then name ignoring case, then object id (two owners named alike); credentials by key id.
        var app = new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll")
            .WithSecretExpiringIn(30, "c").WithCertificateExpiringIn(5, "a").WithSecretExpiringIn(90, "b")
            .WithOwner(OwnerKind.Entra, "person-3", "zoe").WithOwner(OwnerKind.Entra, "person-2", "Alex").WithOwner(OwnerKind.Entra, "person-1", "alex")
            .Build();
        await Catalog().UpsertSnapshotAsync([app, new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Payroll archive").WithOwner(OwnerKind.Entra, "person-1", "alex").Build()], Now);
        await using (var db = NewContext())
        {
            var ownership = new OwnershipStore(db, Time);
            await ownership.AddOwnerAsync("obj-1", new Owner(OwnerKind.Business, "person-4", "Bea", null, true, false));
            await ownership.AddOwnerAsync("obj-1", new Owner(OwnerKind.Technical, "person-5", "Yann", null, true, false));
            await ownership.AddOwnerAsync("obj-1", new Owner(OwnerKind.Technical, "person-0", "anna", null, true, false));
        }

        // A credential added after the others, with the lowest key: stored last, listed first.
        await Catalog().ChangeSnapshotAsync("obj-1", a => a with { Credentials = [.. a.Credentials, new Credential("key-0", CredentialKind.Secret, "d", Now, Now.AddDays(60))] }, Now.AddMinutes(1));

        string[] owners = ["Entra person-1", "Entra person-2", "Entra person-3", "Technical person-0", "Technical person-5", "Business person-4"];
        string[] credentials = ["key-0", "key-1", "key-2", "key-3"];
        App?[] reads =
        [
            await Catalog().GetAsync("obj-1"),
            (await Catalog().GetManyAsync(["obj-1", "obj-2"])).Single(a => a.ObjectId == "obj-1"),
            (await Catalog().FindAsync("payroll", 10))[0],
            Assert.Single(await Catalog().FindAsync("app-1", 10)),
            (await Catalog().SearchAsync("Payroll", 10))[0],
            (await Catalog().ListOwnedByAsync("person-1")).Single(a => a.ObjectId == "obj-1"),
            (await Catalog().ListPageAsync(null, 10)).Single(a => a.ObjectId == "obj-1"),
        ];

        Assert.All(reads, read =>
        {
            Assert.NotNull(read);
            Assert.Equal(owners, read.Owners.Select(o => $"{o.Kind} {o.ObjectId}"));
            Assert.Equal(credentials, read.Credentials.Select(c => c.KeyId));
        });
    }

    [Fact]
    public async Task AReadAfterAWrite_OnTheSameContext_SeesTheWrite()
    {
        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").WithSecretExpiringIn(10, "old").WithOwner(OwnerKind.Entra, Alex).Build()], Now);
        await using var db = NewContext();
        var catalog = new AppCatalog(db, Time);
        Assert.Single((await catalog.GetAsync("obj-1"))!.Owners);

        await new OwnershipStore(db, Time).AddOwnerAsync("obj-1", new Owner(OwnerKind.Technical, Megan, "Megan Bowen", null, true, false));
        var added = new Credential("new-key", CredentialKind.Secret, "new", Now, Now.AddDays(90));
        var changed = await catalog.ChangeSnapshotAsync("obj-1", app => app with { Credentials = [.. app.Credentials, added] }, Now.AddMinutes(1));
        var read = await catalog.GetAsync("obj-1");

        Assert.NotNull(changed);
        Assert.True(changed.IsOwnedBy(Megan));
        Assert.NotNull(read);
        Assert.Equal([Alex, Megan], read.Owners.Select(o => o.ObjectId).Order());
        Assert.Equal(["key-1", "new-key"], read.Credentials.Select(c => c.KeyId));
    }

    private CredentialBotDbContext NewContext() => store.NewContext();

    private AppCatalog Catalog() => new(NewContext(), Time);
}
