using CredentialBot.Cli;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The janitor runs on one instance at a time: a round on an instance that finds the janitor lease held elsewhere does
/// nothing (no chore runs, the lease stays with its holder); once the holder's lease lapses the next round takes it.
/// </summary>
public sealed class JanitorOnOneInstance : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-janitor-" + Guid.NewGuid().ToString("N"));

    public JanitorOnOneInstance() => System.IO.Directory.CreateDirectory(_directory);

    private string Store => $"--Store:ConnectionString=Data Source={Path.Combine(_directory, "bot.db")}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ARound_WhileAnotherInstanceHoldsTheJanitor_RunsNoChore()
    {
        var exit = await CliHost.RunAsync([Store], TextWriter.Null, async services =>
        {
            var leases = services.GetRequiredService<LeaseStore>();
            Assert.True(await leases.TryAcquireAsync(JanitorRound.LeaseName, "janitor on another instance", TimeSpan.FromMinutes(1)));
            var chore = new CountingChore();
            await using var chores = new ServiceCollection().AddSingleton(chore).BuildServiceProvider();
            JanitorRound Round() => new(chores.GetRequiredService<IServiceScopeFactory>(), [new JanitorChoreType(typeof(CountingChore))], services.GetRequiredService<LeaseKeeper>(), TimeProvider.System);
            await Round().RunOnceAsync(CancellationToken.None);
            Assert.Equal(0, chore.Rounds);
            Assert.Equal("janitor on another instance", await leases.HolderAsync(JanitorRound.LeaseName));

            // The other instance dies; its lease lapses and this one's next round does the work.
            await leases.TryAcquireAsync(JanitorRound.LeaseName, "janitor on another instance", TimeSpan.Zero);
            await Round().RunOnceAsync(CancellationToken.None);
            Assert.Equal(1, chore.Rounds);
            Assert.Null(await leases.HolderAsync(JanitorRound.LeaseName));
            return 0;
        });

        Assert.Equal(0, exit);
    }

    private sealed class CountingChore : IJanitorChore
    {
        public int Rounds { get; private set; }

        public Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            Rounds++;
            return Task.CompletedTask;
        }
    }
}
