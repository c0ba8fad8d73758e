using CredentialBot.Domain;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Admin scopes made in Teams: saved and read back as written, renamed in place, unique by name whatever the case,
/// removed; a second writer who lost a race saves nothing. On SQLite and PostgreSQL.
/// </summary>
public abstract class AdminScopeStoreTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private static readonly AdminScope Travel = new("Travel", ["p1", "p2"], ["g1"], [new(AppSelectorKind.NamePattern, "Travel*"), new(AppSelectorKind.Tag, "travel")]);

    private readonly TStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AScope_IsReadBackAsSaved_WithWhoAndWhen()
    {
        var at = _store.Time.GetUtcNow();
        await using (var db = _store.NewContext())
        {
            Assert.True(await new AdminScopeStore(db).SaveAsync(Travel, null, "Megan Bowen", at));
        }

        await using var read = _store.NewContext();
        var saved = Assert.Single(await new AdminScopeStore(read).ListAsync());
        Assert.Equal((Travel.Name, "Megan Bowen", at), (saved.Scope.Name, saved.UpdatedBy, saved.UpdatedAt));
        Assert.Equal(Travel.PersonIds, saved.Scope.PersonIds);
        Assert.Equal(Travel.GroupIds, saved.Scope.GroupIds);
        Assert.Equal(Travel.Apps, saved.Scope.Apps);
    }

    [Fact]
    public async Task ANameTakenInAnyCase_IsRefused_AndARenameOntoItToo()
    {
        await using var db = _store.NewContext();
        var scopes = new AdminScopeStore(db);
        var at = _store.Time.GetUtcNow();
        Assert.True(await scopes.SaveAsync(Travel, null, "Megan", at));
        Assert.True(await scopes.SaveAsync(Travel with { Name = "Payroll" }, null, "Megan", at));

        Assert.False(await scopes.SaveAsync(Travel with { Name = "TRAVEL" }, null, "Megan", at));
        Assert.False(await scopes.SaveAsync(Travel with { Name = "travel" }, "Payroll", "Megan", at));
        Assert.False(await scopes.SaveAsync(Travel, "Gone", "Megan", at));
        Assert.Equal(["Payroll", "Travel"], (await scopes.ListAsync()).Select(s => s.Scope.Name));
    }

    [Fact]
    public async Task AnAdminWhoLosesTheRaceForANewName_IsToldNo_AndTheirTransactionStillCommits()
    {
        var at = _store.Time.GetUtcNow();
        await using var first = _store.NewContext();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        Assert.True(await new AdminScopeStore(first).SaveAsync(Travel, null, "Megan", at));

        // The second admin checks the name while the first one's insert is not committed yet, so the unique index decides.
        var second = Task.Run(async () =>
        {
            await using var db = _store.NewContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var saved = await new AdminScopeStore(db).SaveAsync(Travel with { PersonIds = ["p9"] }, null, "Adele", at);

            // What the pipeline does next: the refusal's audit event joins the same transaction, which must still work.
            await db.Database.ExecuteSqlRawAsync("SELECT 1");
            await transaction.CommitAsync();
            return saved;
        });
        await Task.Delay(TimeSpan.FromSeconds(1));
        await firstTransaction.CommitAsync();

        Assert.False(await second);
        await using var read = _store.NewContext();
        Assert.Equal(Travel.PersonIds, Assert.Single(await new AdminScopeStore(read).ListAsync()).Scope.PersonIds);
    }

    [Fact]
    public async Task AScope_IsRenamedInPlace_AndRemovedOnce()
    {
        await using var db = _store.NewContext();
        var scopes = new AdminScopeStore(db);
        var at = _store.Time.GetUtcNow();
        await scopes.SaveAsync(Travel, null, "Megan", at);

        Assert.True(await scopes.SaveAsync(Travel with { Name = "Trips", Apps = [new(AppSelectorKind.Tag, "trips")] }, "travel", "Alex", at.AddHours(1)));
        var renamed = Assert.Single(await scopes.ListAsync());
        Assert.Equal(("Trips", "tag:trips", "Alex"), (renamed.Scope.Name, string.Join(",", renamed.Scope.Apps), renamed.UpdatedBy));

        Assert.True(await scopes.RemoveAsync("TRIPS"));
        Assert.False(await scopes.RemoveAsync("Trips"));
        Assert.Empty(await scopes.ListAsync());
    }
}

public sealed class SqliteAdminScopeStoreTests : AdminScopeStoreTests<SqliteStore>;

public sealed class PostgresAdminScopeStoreTests : AdminScopeStoreTests<PostgresStore>;
