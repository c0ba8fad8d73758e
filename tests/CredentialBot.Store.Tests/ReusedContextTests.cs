using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The registered store reuses its contexts (EF Core's context pool) and SQLite's native connections (Microsoft.Data.Sqlite's
/// pool), as the host does. Nothing one request leaves behind reaches the next: not its unsaved changes, not an open
/// transaction, and every reused connection still has the store's settings.
/// </summary>
public sealed class ReusedContextTests : IAsyncLifetime
{
    private readonly SqliteStore _store = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Store:ConnectionString", _store.ConnectionString.Replace("Pooling=False", "Pooling=True", StringComparison.Ordinal))])
            .Build();
        _services = new ServiceCollection().AddCredentialBotStore(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task ARequestsUnsavedChanges_DoNotReachTheNextRequest_ThatGetsTheSameContext()
    {
        CredentialBotDbContext first;
        await using (var request = _services.CreateAsyncScope())
        {
            first = request.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
            first.Leases.Add(new LeaseRecord { Name = "left-behind", Holder = "failed request", ExpiresAt = DateTimeOffset.UnixEpoch });
        }

        await using var next = _services.CreateAsyncScope();
        var db = next.ServiceProvider.GetRequiredService<CredentialBotDbContext>();

        Assert.Same(first, db);
        Assert.Empty(db.ChangeTracker.Entries());
        Assert.Equal(0, await db.SaveChangesAsync());
        Assert.False(await db.Leases.AnyAsync(l => l.Name == "left-behind"));
    }

    [Fact]
    public async Task ARequestsOpenTransaction_IsRolledBack_AndTheNextRequestCanWrite()
    {
        await using (var request = _services.CreateAsyncScope())
        {
            var db = request.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
            await db.Database.BeginTransactionAsync();
            db.Leases.Add(new LeaseRecord { Name = "uncommitted", Holder = "failed request", ExpiresAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync();
        }

        await using var next = _services.CreateAsyncScope();
        var later = next.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
        Assert.Null(later.Database.CurrentTransaction);
        // SQLite has one writer: a transaction left open would hold the write lock, and this would wait 5 s and fail.
        later.Leases.Add(new LeaseRecord { Name = "next", Holder = "next request", ExpiresAt = DateTimeOffset.UnixEpoch });
        await later.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(4));

        await using var check = _store.NewContext();
        Assert.Equal(["next"], await check.Leases.Select(l => l.Name).ToListAsync());
    }

    [Fact]
    public async Task EveryOpenOfAReusedConnection_HasTheStoresSettings()
    {
        // Eight requests at once, five times over: several native connections, each opened again and again.
        for (var round = 0; round < 5; round++)
        {
            var settings = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                await using var request = _services.CreateAsyncScope();
                var db = request.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
                await db.Leases.CountAsync();
                await db.Database.OpenConnectionAsync();
                return (
                    Synchronous: await PragmaAsync(db, "synchronous"),
                    CacheSize: await PragmaAsync(db, "cache_size"),
                    Checkpoint: await PragmaAsync(db, "wal_autocheckpoint"),
                    BusyTimeout: await PragmaAsync(db, "busy_timeout"));
            }));

            // busy_timeout 0: the prompt busy handler is installed, and nothing set the pragma after it.
            Assert.All(settings, s => Assert.Equal((1L, -65536L, 16384L, 0L), s));
        }
    }

    private static async Task<long> PragmaAsync(CredentialBotDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
