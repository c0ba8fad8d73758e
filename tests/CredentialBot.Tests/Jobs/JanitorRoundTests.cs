using CredentialBot.Shared;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Tests.Jobs;

/// <summary>
/// A chore that fails keeps no other chore from running (ending grants must not wait for a broken chore to be fixed),
/// and what it leaves behind (an open audited change holding a write) goes with it: the next chore starts in a clean
/// scope, and nothing of the failed chore is committed. The round then fails, naming the failure.
/// </summary>
public sealed class JanitorRoundTests : IAsyncLifetime
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), $"cb-janitor-round-{Guid.NewGuid():N}.db");
    private readonly Recorder _recorder = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Store:ConnectionString", $"Data Source={_store}")]).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddSingleton(_recorder);
        services.AddCredentialBotStore(configuration);
        services.AddShared(configuration);
        services.AddJanitorChore<BrokenChore>();
        services.AddJanitorChore<LaterChore>();
        _services = services.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await StoreDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_store);
    }

    [Fact]
    public async Task AChoreThatFailsMidChange_LeavesTheLaterChoresToRun_InAScopeOfTheirOwn_AndCommitsNothing()
    {
        await using var scope = _services.CreateAsyncScope();

        var failed = await Assert.ThrowsAsync<AggregateException>(() => scope.ServiceProvider.GetRequiredService<JanitorRound>().RunOnceAsync(CancellationToken.None));

        Assert.Equal("the broken chore", Assert.Single(failed.InnerExceptions).Message);
        Assert.True(_recorder.LaterRan);
        Assert.False(_recorder.LaterSawAnOpenTransaction);
        await using var check = _services.CreateAsyncScope();
        Assert.Null(await check.ServiceProvider.GetRequiredService<LeaseStore>().HolderAsync("half-done"));
    }

    private sealed class Recorder
    {
        public bool LaterRan { get; set; }

        public bool LaterSawAnOpenTransaction { get; set; }
    }

    /// <summary>Opens an audited change, writes, and throws before committing.</summary>
    private sealed class BrokenChore(AuditTrail audit, LeaseStore leases) : IJanitorChore
    {
        public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            await audit.BeginChangeAsync(cancellationToken);
            await leases.TryAcquireAsync("half-done", "the broken chore", TimeSpan.FromHours(1), cancellationToken);
            throw new InvalidOperationException("the broken chore");
        }
    }

    private sealed class LaterChore(CredentialBotDbContext db, AuditTrail audit, Recorder recorder) : IJanitorChore
    {
        public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            recorder.LaterRan = true;
            recorder.LaterSawAnOpenTransaction = db.Database.CurrentTransaction is not null;
            // Had it shared the broken chore's scope, this would commit the broken chore's write with its own event.
            await audit.RecordAsync(AuditTrail.Bot, null, AuditOperation.AskOwnerReplacement, AuditOutcome.Succeeded, "the later chore", cancellationToken);
        }
    }
}
