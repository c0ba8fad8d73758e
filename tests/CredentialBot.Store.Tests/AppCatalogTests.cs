using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Store.Tests;

/// <summary>The snapshot of Apps that chat commands read.</summary>
public sealed class AppCatalogTests : IAsyncLifetime
{
    private const string Alex = "person-alex";
    private const string Megan = "person-megan";
    private readonly SqliteStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    private DateTimeOffset Now => _store.Time.GetUtcNow();

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
        await using (var db = _store.NewContext())
        {
            await new OwnershipStore(db, _store.Time).AddOwnerAsync("obj-1", new Owner(OwnerKind.Technical, Megan, "Megan Bowen", null, true, false, CanManageCredentials: true));
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
    public async Task Find_TreatsLikeWildcardsAsText()
    {
        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Payroll").Build()], Now);

        Assert.Empty(await Catalog().FindAsync("%", 10));
        Assert.Empty(await Catalog().FindAsync("_", 10));
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
        await using (var db = _store.NewContext())
        {
            await new OwnershipStore(db, _store.Time).AddOwnerAsync("obj-2", new Owner(OwnerKind.Business, Alex, "Alex Wilber", null, true, false));
        }

        var mine = await Catalog().ListOwnedByAsync(Alex);

        Assert.Equal(["Entra-owned", "Store-owned"], mine.Select(a => a.DisplayName).Order());
    }

    [Fact]
    public async Task AppsAScanNoLongerSees_AreMarkedDeleted_AndDisappearFromReads()
    {
        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-1", "app-1").Named("Gone").Build()], Now);
        _store.Time.Advance(TimeSpan.FromHours(1));
        var scanStarted = Now;
        await Catalog().UpsertSnapshotAsync([new AppBuilder(Now).WithIds("obj-2", "app-2").Named("Still here").Build()], Now);

        Assert.Equal(1, await Catalog().MarkMissingAsDeletedAsync(AppKind.Application, scanStarted));
        Assert.Null(await Catalog().GetAsync("obj-1"));
        Assert.Equal(1, await Catalog().CountAsync());
    }

    [Fact]
    public async Task AnOwnerForAnUnknownApp_IsRefused_AndEntraOwnersAreNotStoreOwned()
    {
        await using var db = _store.NewContext();
        var ownership = new OwnershipStore(db, _store.Time);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => ownership.AddOwnerAsync("nope", new Owner(OwnerKind.Technical, Alex, "Alex", null, true, false)));
        await Assert.ThrowsAsync<ArgumentException>(() => ownership.AddOwnerAsync("nope", new Owner(OwnerKind.Entra, Alex, "Alex", null, true, false)));
    }

    private AppCatalog Catalog() => new(_store.NewContext(), _store.Time);
}
