using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
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
        await Catalog().UpsertSnapshotAsync(
        [
            new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").Build(),
            new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Payroll API").Build(),
            new AppBuilder(Now).WithIds("obj-3", "app-3").Named("Legacy payroll export").Build(),
            new AppBuilder(Now).WithIds("obj-4", "app-4").Named("Expenses").Build(),
        ], Now);

        Assert.Equal(["Payroll", "Legacy payroll export", "Payroll API"], (await Catalog().FindAsync("PAYROLL", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Expenses"], (await Catalog().FindAsync("app-4", 10)).Select(a => a.DisplayName));
        Assert.Equal(["Expenses"], (await Catalog().FindAsync("  OBJ-4 ", 10)).Select(a => a.DisplayName));
        Assert.Equal(2, (await Catalog().FindAsync("payroll", 2)).Count);
        Assert.Empty(await Catalog().FindAsync("   ", 10));
    }

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
    public async Task AnOwnerForAnUnknownApp_IsRefused_AndEntraOwnersAreNotStoreOwned()
    {
        await using var db = NewContext();
        var ownership = new OwnershipStore(db, Time);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => ownership.AddOwnerAsync("nope", new Owner(OwnerKind.Technical, Alex, "Alex", null, true, false)));
        await Assert.ThrowsAsync<ArgumentException>(() => ownership.AddOwnerAsync("nope", new Owner(OwnerKind.Entra, Alex, "Alex", null, true, false)));
    }

    private CredentialBotDbContext NewContext() => store.NewContext();

    private AppCatalog Catalog() => new(NewContext(), Time);
}
