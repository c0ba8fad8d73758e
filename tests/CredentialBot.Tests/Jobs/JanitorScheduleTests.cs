using System.Collections.Concurrent;
using CredentialBot.Shared;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CredentialBot.Tests.Jobs;

/// <summary>
/// The janitor as the host registers it (<c>AddShared</c>, <c>Janitor:*</c>): a round every <c>Janitor:Interval</c> on
/// the host's clock, each chore handed the instant the round began; none when disabled. The clock is fake and moves only
/// when the test says: no wall-clock waits.
/// </summary>
public sealed class JanitorScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Rounds_RunEveryInterval_OnTheClock_WithTheRoundsStartAsNow()
    {
        var clock = new WatchedClock();
        var start = clock.GetUtcNow();
        var chore = new RecordingChore();
        await using var janitor = await StartAsync(clock, chore, ("Janitor:Interval", "00:02:00"));
        await clock.TimerCreatedAsync(Interval);

        for (var round = 1; round <= 3; round++)
        {
            clock.Fake.Advance(Interval - TimeSpan.FromSeconds(1));
            clock.Fake.Advance(TimeSpan.FromSeconds(1));
            await chore.WaitForAsync(round);
        }

        Assert.Equal([start + Interval, start + (2 * Interval), start + (3 * Interval)], chore.Nows);
    }

    [Fact]
    public async Task ADisabledJanitor_NeverRuns_HoweverLongTheClockMoves()
    {
        var clock = new WatchedClock();
        var chore = new RecordingChore();
        await using var janitor = await StartAsync(clock, chore, ("Janitor:Enabled", "false"));

        await janitor.Loop.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Fake.Advance(TimeSpan.FromDays(1));

        Assert.Empty(chore.Nows);
    }

    private static async Task<RunningJanitor> StartAsync(TimeProvider clock, RecordingChore chore, params (string Key, string Value)[] settings)
    {
        // A real store: the janitor holds its lease there, so that one instance at a time runs the chores.
        var store = Path.Combine(Path.GetTempPath(), $"cb-janitor-{Guid.NewGuid():N}.db");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Store:ConnectionString", $"Data Source={store}"), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))])
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(clock).AddSingleton(chore);
        services.AddCredentialBotStore(configuration);
        services.AddShared(configuration);
        services.AddJanitorChore<RecordingChore.Scoped>();
        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await StoreDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>());
        }

        var janitor = provider.GetServices<IHostedService>().OfType<BackgroundService>().Single(s => s.GetType().GenericTypeArguments.Contains(typeof(JanitorRound)));
        await janitor.StartAsync(CancellationToken.None);
        return new RunningJanitor(janitor, provider);
    }

    /// <summary>Records the instant each round handed its chores (a singleton; the chore itself is scoped per round).</summary>
    private sealed class RecordingChore
    {
        private readonly ConcurrentQueue<DateTimeOffset> _nows = new();
        private readonly SemaphoreSlim _ran = new(0);

        public IReadOnlyList<DateTimeOffset> Nows => [.. _nows];

        public async Task WaitForAsync(int rounds)
        {
            while (_nows.Count < rounds)
            {
                Assert.True(await _ran.WaitAsync(TimeSpan.FromSeconds(30)), $"Round {rounds} never ran.");
            }
        }

        public sealed class Scoped(RecordingChore recorder) : IJanitorChore
        {
            public Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
            {
                recorder._nows.Enqueue(now);
                recorder._ran.Release();
                return Task.CompletedTask;
            }
        }
    }

    private sealed class RunningJanitor(BackgroundService janitor, ServiceProvider services) : IAsyncDisposable
    {
        public Task Loop => janitor.ExecuteTask!;

        public async ValueTask DisposeAsync()
        {
            await janitor.StopAsync(CancellationToken.None);
            janitor.Dispose();
            await services.DisposeAsync();
        }
    }
}
