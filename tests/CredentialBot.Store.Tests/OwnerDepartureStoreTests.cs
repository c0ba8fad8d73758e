using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Owners who left: the directory's answer applied to the owners the store keeps, and each departure claimed once for
/// the card and once for the admins, however many instances race for it. On SQLite and on PostgreSQL.
/// </summary>
public abstract class OwnerDepartureStoreTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private const string App = "obj-1";
    private readonly TStore _store = new();

    private DateTimeOffset Now => _store.Time.GetUtcNow();

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        await using var db = _store.NewContext();
        await new AppCatalog(db, _store.Time).UpsertSnapshotAsync(
            [new AppBuilder(Now).WithIds(App, "app-1").Named("Payroll API").WithOwner(OwnerKind.Entra, "alex").Build()], Now);
        var owners = new OwnershipStore(db, _store.Time);
        await owners.AddOwnerAsync(App, new Owner(OwnerKind.Technical, "patti", "Patti Fernandez", "pattif@example.com"));
        await owners.AddOwnerAsync(App, new Owner(OwnerKind.Business, "lynne", "Lynne Robbins", "lynner@example.com"));
    }

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task TheDirectorysAnswer_DisablesAndDeletesKeptOwners_AndLeavesEntraOwnersToTheScan()
    {
        await using var db = _store.NewContext();
        var departures = new OwnerDepartureStore(db);
        var kept = await departures.KeptOwnersAsync();
        Assert.Equal(["lynne", "patti"], kept.Order());

        var changed = await departures.ApplyDirectoryAsync([.. kept, "alex"], new Dictionary<string, Person> { ["patti"] = new("patti", "Patti Fernandez", null, null, AccountEnabled: false) });

        Assert.Equal(2, changed);
        var owners = (await new OwnershipStore(db, _store.Time).ListAsync(App)).ToDictionary(o => o.ObjectId);
        Assert.False(owners["patti"].AccountEnabled);
        Assert.True(owners["lynne"].Deleted);
        Assert.False(owners["alex"].IsInactive);
    }

    [Fact]
    public async Task InstancesRacingForADeparture_ClaimItOnce()
    {
        await DisablePattiAsync();
        await using var db = _store.NewContext();
        var found = Assert.Single(await new OwnerDepartureStore(db).NewAsync(Now));

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var other = _store.NewContext();
            return await new OwnerDepartureStore(other).ClaimAsync(found.Id, Now);
        }));

        Assert.Single(claims, won => won);
        Assert.Empty(await new OwnerDepartureStore(db).NewAsync(Now));
        Assert.Single(await new OwnerDepartureStore(db).WaitingAsync());
    }

    [Fact]
    public async Task TellingTheAdmins_IsClaimedOnce_AndCanBeGivenBack()
    {
        await DisablePattiAsync();
        await using var db = _store.NewContext();
        var departures = new OwnerDepartureStore(db);
        var found = Assert.Single(await departures.NewAsync(Now));
        await departures.ClaimAsync(found.Id, Now);

        Assert.True(await departures.ClaimEscalationAsync(found.Id, Now));
        Assert.False(await departures.ClaimEscalationAsync(found.Id, Now));
        Assert.Empty(await departures.WaitingAsync());

        await departures.ReleaseEscalationAsync(found.Id);
        Assert.Single(await departures.WaitingAsync());
    }

    [Fact]
    public async Task AnOwnerEnabledAgain_IsNoDepartureAnyMore()
    {
        await DisablePattiAsync();
        await using var db = _store.NewContext();
        var departures = new OwnerDepartureStore(db);
        await departures.ClaimAsync(Assert.Single(await departures.NewAsync(Now)).Id, Now);

        await departures.ApplyDirectoryAsync(["patti"], new Dictionary<string, Person> { ["patti"] = new("patti", "Patti Fernandez", null, null) });
        Assert.Equal(1, await departures.ForgetReturnedAsync());

        Assert.Empty(await departures.WaitingAsync());
        Assert.Empty(await departures.NewAsync(Now));
    }

    private async Task DisablePattiAsync()
    {
        await using var db = _store.NewContext();
        await new OwnerDepartureStore(db).ApplyDirectoryAsync(["patti"], new Dictionary<string, Person> { ["patti"] = new("patti", "Patti Fernandez", null, null, AccountEnabled: false) });
    }
}

/// <summary><see cref="OwnerDepartureStoreTests{TStore}"/> on SQLite.</summary>
public sealed class SqliteOwnerDepartureStoreTests : OwnerDepartureStoreTests<SqliteStore>;

/// <summary><see cref="OwnerDepartureStoreTests{TStore}"/> on PostgreSQL.</summary>
public sealed class PostgresOwnerDepartureStoreTests : OwnerDepartureStoreTests<PostgresStore>;
