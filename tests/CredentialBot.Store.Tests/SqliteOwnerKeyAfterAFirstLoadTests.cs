using System.Data.Common;
using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

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
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cb-store-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);

    private string Pooled => $"Data Source={_path}";

    private string Unpooled => Pooled + ";Pooling=False";

    public async Task InitializeAsync()
    {
        await using var db = Context(Unpooled);
        await StoreDatabase.MigrateAsync(db);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task AddingAnOwner_RightAfterAFirstLoadPutTheKeyBack_Works_WhileAnotherUserTakesEachConnectionItGivesBack()
    {
        await using (var db = Context(Unpooled))
        {
            Assert.True(await SnapshotIndexes.DeferIfEmptyAsync(db, CancellationToken.None));
        }

        // While the key is aside, four pooled connections read the schema (as the host's other work does), and go back
        // to the pool with it.
        var readers = Enumerable.Range(0, 4).Select(_ => new SqliteConnection(Pooled)).ToList();
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
        await using (var db = Context(Unpooled))
        {
            var app = new AppBuilder(_time.GetUtcNow()).WithIds(AppObjectId, "app-1").Named("Payroll API").Build();
            await new AppCatalog(db, _time).UpsertSnapshotAsync([app], _time.GetUtcNow());
        }

        // Someone else (the digest dispatcher, in the run that found this) takes every connection the store gives back
        // to the pool, the moment it does: a store that closed its connection between putting the key back and the
        // insert would prepare the insert on a connection that never saw the key.
        using var taker = new TakesEveryConnectionGivenBack(Pooled);
        await using (var db = Context(Pooled, taker))
        {
            await new OwnershipStore(db, _time).AddOwnerAsync(AppObjectId, new Owner(OwnerKind.Technical, "person-megan", "Megan Bowen", null, true, false, true));
        }

        await using var check = Context(Unpooled);
        var owner = Assert.Single(await new OwnershipStore(check, _time).ListAsync(AppObjectId));
        Assert.Equal((OwnerKind.Technical, "person-megan"), (owner.Kind, owner.ObjectId));
    }

    private static SqliteCredentialBotDbContext Context(string connectionString, IInterceptor? interceptor = null)
    {
        var options = new DbContextOptionsBuilder<SqliteCredentialBotDbContext>();
        StoreServiceCollectionExtensions.UseSqlite(options, connectionString);
        if (interceptor is not null)
        {
            options.AddInterceptors(interceptor);
        }

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
