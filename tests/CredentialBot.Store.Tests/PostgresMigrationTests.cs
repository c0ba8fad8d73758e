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
}
