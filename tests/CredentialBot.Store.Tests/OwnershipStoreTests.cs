using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Technical and business owners kept in the store: one row per person, kind and App however many add them at once,
/// each write landing whatever its context read before, and nothing written for an App the store does not know. Run on
/// SQLite and PostgreSQL.
/// </summary>
public abstract class OwnershipStoreTests(ITestStore store) : IAsyncLifetime
{
    private const string Megan = "person-megan";

    public async Task InitializeAsync()
    {
        await store.InitializeAsync();
        await using var db = store.NewContext();
        var app = new AppBuilder(store.Time.GetUtcNow()).WithIds("obj-1", "app-1").Named("Payroll API").Build();
        await new AppCatalog(db, store.Time).UpsertSnapshotAsync([app], store.Time.GetUtcNow());
    }

    public Task DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task TenPeopleAddingTheSameOwnerAtOnce_AllSucceed_WithOneRow_EvenWhereEachLookedBeforeAnyWrote()
    {
        // Should the store look for the row before writing it, every adder waits after looking until all have looked:
        // the interleaving that made all but one insert fail on the unique index.
        using var allLooked = new Barrier(10);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await using var db = store.NewContext(new AfterFirstRead("Owners", () => allLooked.SignalAndWait(TimeSpan.FromSeconds(10))));
            await new OwnershipStore(db, store.Time).AddOwnerAsync("obj-1", Technical("Megan Bowen", manage: i % 2 == 0));
        })));

        var megan = Assert.Single(await OwnersAsync());
        Assert.Equal((OwnerKind.Technical, Megan, "Megan Bowen"), (megan.Kind, megan.ObjectId, megan.DisplayName));
    }

    [Fact]
    public async Task AddingAgain_UpdatesTheOneRow_EvenWhereThisContextReadItBeforeSomeoneElseChangedIt()
    {
        await using var db = store.NewContext();
        var mine = new OwnershipStore(db, store.Time);
        await mine.AddOwnerAsync("obj-1", Technical("Megan Bowen", manage: true));
        Assert.Single(await mine.ListAsync("obj-1"));

        await using (var other = store.NewContext())
        {
            await new OwnershipStore(other, store.Time).AddOwnerAsync("obj-1", Technical("M. Bowen", manage: false));
        }

        await mine.AddOwnerAsync("obj-1", Technical("Megan Bowen", manage: true));

        var megan = Assert.Single(await OwnersAsync());
        Assert.Equal(("Megan Bowen", true), (megan.DisplayName, megan.CanManageCredentials));
    }

    [Fact]
    public async Task OnlyATechnicalOwner_MayManageCredentials_AndEachKindIsItsOwnRow()
    {
        await using var db = store.NewContext();
        var ownerships = new OwnershipStore(db, store.Time);
        await ownerships.AddOwnerAsync("obj-1", Technical("Megan Bowen", manage: true));
        await ownerships.AddOwnerAsync("obj-1", new Owner(OwnerKind.Business, Megan, "Megan Bowen", "megan@contoso.com", true, false, CanManageCredentials: true));

        var owners = await OwnersAsync();
        Assert.Equal([(OwnerKind.Technical, true), (OwnerKind.Business, false)], owners.OrderByDescending(o => o.Kind == OwnerKind.Technical).Select(o => (o.Kind, o.CanManageCredentials)));
        Assert.Equal("megan@contoso.com", owners.Single(o => o.Kind == OwnerKind.Business).UserPrincipalName);
    }

    [Fact]
    public async Task AnOwnerForAnUnknownApp_IsRefused_AndNothingIsWritten()
    {
        await using var db = store.NewContext();
        var ownerships = new OwnershipStore(db, store.Time);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => ownerships.AddOwnerAsync("obj-unknown", Technical("Megan Bowen", manage: true)));
        await Assert.ThrowsAsync<ArgumentException>(() => ownerships.AddOwnerAsync("obj-1", new Owner(OwnerKind.Entra, Megan, "Megan Bowen", null, true, false, false)));

        Assert.Empty(await ownerships.ListAsync("obj-unknown"));
        Assert.Empty(await OwnersAsync());
    }

    [Fact]
    public async Task RemovingAnOwner_RemovesOnlyThatKind_AndSaysWhetherThereWasOne()
    {
        await using var db = store.NewContext();
        var ownerships = new OwnershipStore(db, store.Time);
        await ownerships.AddOwnerAsync("obj-1", Technical("Megan Bowen", manage: true));
        await ownerships.AddOwnerAsync("obj-1", new Owner(OwnerKind.Business, Megan, "Megan Bowen", null, true, false, false));

        Assert.True(await ownerships.RemoveOwnerAsync("obj-1", Megan, OwnerKind.Technical));
        Assert.False(await ownerships.RemoveOwnerAsync("obj-1", Megan, OwnerKind.Technical));

        Assert.Equal(OwnerKind.Business, Assert.Single(await OwnersAsync()).Kind);
    }

    private static Owner Technical(string name, bool manage) => new(OwnerKind.Technical, Megan, name, null, true, false, manage);

    private async Task<IReadOnlyList<Owner>> OwnersAsync()
    {
        await using var db = store.NewContext();
        return await new OwnershipStore(db, store.Time).ListAsync("obj-1");
    }
}
