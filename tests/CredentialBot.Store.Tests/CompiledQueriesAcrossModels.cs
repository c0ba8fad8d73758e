using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The store's compiled queries in a process that holds several EF Core models at once — a SQLite and a PostgreSQL
/// store, and contexts configured apart (a logger of their own) — as tests and benchmarks do: EF Core binds a compiled
/// query to one model and refuses the others, so each model must get its own.
/// </summary>
public sealed class CompiledQueriesAcrossModels : IAsyncLifetime
{
    private readonly SqliteStore _sqlite = new();
    private readonly PostgresStore _postgres = new();

    public async Task InitializeAsync()
    {
        await _sqlite.InitializeAsync();
        await _postgres.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task OneAppAndItsPolicy_AreRead_FromEachStoreInTurn()
    {
        ITestStore[] stores = [_sqlite, _postgres];
        foreach (var store in stores)
        {
            await using var db = store.NewContext();
            var now = store.Time.GetUtcNow();
            await new AppCatalog(db, store.Time).UpsertSnapshotAsync([new AppBuilder(now).WithIds("obj-1", "app-1").Named($"Payroll on {store.Provider}").WithSecretExpiringIn(10).Build()], now);
            await new PolicyStore(db).EnsureDefaultsAsync();
        }

        using var logs = new LogCapture();
        for (var round = 0; round < 2; round++)
        {
            foreach (var store in stores)
            {
                CredentialBotDbContext[] contexts = [store.NewContext(), store.NewContext(logs)];
                foreach (var db in contexts)
                {
                    await using (db)
                    {
                        var app = await new AppCatalog(db, store.Time).GetAsync("obj-1");
                        Assert.Equal($"Payroll on {store.Provider}", app?.DisplayName);
                        Assert.Equal(PolicyStore.DefaultApplicationsPolicy, (await new PolicyStore(db).GetPolicyForAsync(app!)).Name);
                        Assert.Single(app!.Credentials);
                    }
                }
            }
        }

        Assert.Empty(logs.AtLeast(Microsoft.Extensions.Logging.LogLevel.Error));
    }
}
