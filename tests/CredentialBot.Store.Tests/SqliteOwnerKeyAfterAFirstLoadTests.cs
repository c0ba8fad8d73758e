using System.Data.Common;
using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CredentialBot.Store.Tests;

/// <summary>
/// A first load on SQLite sets the owners' unique key aside and puts it back when it ends, or when a write needs it
/// sooner. A pooled connection that read the schema meanwhile keeps its copy without the key, and SQLite refuses an
/// <c>ON CONFLICT</c> on a key its copy lacks when it prepares the statement, without reading the schema again.
/// Adding an owner must work whichever pooled connections it is handed, and whoever else takes one in between.
/// </summary>
public sealed class SqliteOwnerKeyAfterAFirstLoadTests : IAsyncLifetime
{
    private const string AppObjectId = "obj-1";
    private readonly SqliteStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task AddingAnOwner_RightAfterAFirstLoadPutTheKeyBack_Works_WhileAnotherUserTakesEachConnectionItGivesBack()
    {
        await using (var db = _store.NewContext())
        {
            Assert.True(await SnapshotIndexes.DeferIfEmptyAsync(db, CancellationToken.None));
        }

        // While the key is aside, four pooled connections read the schema (as the host's other work does), and go back
        // to the pool with it.
        var readers = Enumerable.Range(0, 4).Select(_ => new SqliteConnection(_store.PooledConnectionString)).ToList();
        foreach (var reader in readers)
        {
            await reader.OpenAsync();
            await using var count = reader.CreateCommand();
            count.CommandText = """SELECT count(*) FROM "Owners" """;
            await count.ExecuteScalarAsync();
        }

        foreach (var reader in readers)
        {
            await reader.DisposeAsync();
        }

        // The load writes its App, which puts the keys back, on a connection of its own.
        await using (var db = _store.NewContext())
        {
            var app = new AppBuilder(_store.Time.GetUtcNow()).WithIds(AppObjectId, "app-1").Named("Payroll API").Build();
            await new AppCatalog(db, _store.Time).UpsertSnapshotAsync([app], _store.Time.GetUtcNow());
        }

        // Someone else (the digest dispatcher, in the run that found this) takes every connection the store gives back
        // to the pool, the moment it does: a store that closed its connection between putting the key back and the
        // insert would prepare the insert on a connection that never saw the key.
        using var taker = new TakesEveryConnectionGivenBack(_store.PooledConnectionString);
        await using (var db = PooledContext(taker))
        {
            await new OwnershipStore(db, _store.Time).AddOwnerAsync(AppObjectId, new Owner(OwnerKind.Technical, "person-megan", "Megan Bowen", null, true, false, true));
        }

        await using var check = _store.NewContext();
        var owner = Assert.Single(await new OwnershipStore(check, _store.Time).ListAsync(AppObjectId));
        Assert.Equal((OwnerKind.Technical, "person-megan"), (owner.Kind, owner.ObjectId));
    }

    private SqliteCredentialBotDbContext PooledContext(IInterceptor interceptor)
    {
        var options = new DbContextOptionsBuilder<SqliteCredentialBotDbContext>();
        StoreServiceCollectionExtensions.UseSqlite(options, _store.PooledConnectionString).AddInterceptors(interceptor);
        return new SqliteCredentialBotDbContext(options.Options);
    }

    /// <summary>Opens a connection of its own, from the same pool, each time the context closes one, and holds it.</summary>
    private sealed class TakesEveryConnectionGivenBack(string connectionString) : DbConnectionInterceptor, IDisposable
    {
        private readonly List<SqliteConnection> _taken = [];

        public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Take();

        public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
        {
            Take();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            foreach (var connection in _taken)
            {
                connection.Dispose();
            }
        }

        private void Take()
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            _taken.Add(connection);
        }
    }
}
