using CredentialBot.Digests;
using CredentialBot.Shared.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Tests.Jobs;

/// <summary>
/// The one loop around every background job (scan, dispatch, janitor): rounds on the job's schedule, driven by the
/// clock it is given; a failed round never stops the next one.
/// </summary>
public sealed class PeriodicJobHostTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task AFailingRound_IsSurvived_AndTheNextTickRunsAgain()
    {
        var time = new WatchedClock(new FakeTimeProvider());
        var rounds = new Rounds(failFirst: true);
        await using var host = await StartAsync(rounds, time, new JobSchedule(true, Interval));
        await time.TimerCreatedAsync();

        time.Fake.Advance(Interval);
        await rounds.WaitForAsync(1);
        time.Fake.Advance(Interval);
        await rounds.WaitForAsync(2);

        Assert.Equal(2, rounds.Count);
    }

    [Fact]
    public async Task Rounds_WaitForTheInterval_UnlessTheJobRunsAtStart()
    {
        var time = new WatchedClock(new FakeTimeProvider());
        var later = new Rounds();
        var atStart = new Rounds();
        await using var waiting = await StartAsync(later, time, new JobSchedule(true, Interval));
        await time.TimerCreatedAsync();
        await using var eager = await StartAsync(atStart, time, new JobSchedule(true, Interval, RunAtStart: true));

        await atStart.WaitForAsync(1);

        Assert.Equal(0, later.Count);
        time.Fake.Advance(Interval);
        await later.WaitForAsync(1);
    }

    [Fact]
    public async Task ADisabledJob_NeverRuns()
    {
        var time = new FakeTimeProvider();
        var rounds = new Rounds();
        await using var host = await StartAsync(rounds, time, new JobSchedule(false, Interval, RunAtStart: true));

        // A disabled job's loop ends at once, before creating any timer: nothing can ever run it.
        await host.Loop.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(Interval * 10);

        Assert.Equal(0, rounds.Count);
    }

    [Fact]
    public async Task AWokenJob_RunsAgainBeforeItsIntervalIsOver()
    {
        var time = new FakeTimeProvider();
        var rounds = new Rounds();
        var signal = new DispatchSignal();
        await using var host = await StartAsync(rounds, time, new JobSchedule(true, TimeSpan.FromHours(1), Wake: signal));
        await rounds.WaitForAsync(1);

        signal.Wake();

        await rounds.WaitForAsync(2);
        Assert.Equal(time.Start, time.GetUtcNow());
    }

    private static async Task<RunningHost> StartAsync(Rounds rounds, TimeProvider time, JobSchedule schedule)
    {
        var services = new ServiceCollection().AddSingleton(rounds).AddScoped<CountingJob>().BuildServiceProvider();
        var host = new PeriodicJobHost<CountingJob>(services.GetRequiredService<IServiceScopeFactory>(), _ => schedule, services, time, NullLogger<PeriodicJobHost<CountingJob>>.Instance);
        await host.StartAsync(CancellationToken.None);
        return new RunningHost(host, services);
    }

    /// <summary>Counts the job's rounds (a singleton: each round runs in a scope of its own).</summary>
    private sealed class Rounds(bool failFirst = false)
    {
        private readonly SemaphoreSlim _ran = new(0);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Ran()
        {
            var count = Interlocked.Increment(ref _count);
            _ran.Release();
            if (failFirst && count == 1)
            {
                throw new InvalidOperationException("The first round fails.");
            }
        }

        public async Task WaitForAsync(int count)
        {
            while (Count < count)
            {
                Assert.True(await _ran.WaitAsync(TimeSpan.FromSeconds(30)), $"Round {count} never ran.");
            }
        }
    }

    private sealed class CountingJob(Rounds rounds) : IPeriodicJob
    {
        public Task RunOnceAsync(CancellationToken cancellationToken)
        {
            rounds.Ran();
            return Task.CompletedTask;
        }
    }

    private sealed class RunningHost(PeriodicJobHost<CountingJob> host, ServiceProvider services) : IAsyncDisposable
    {
        /// <summary>The host's background loop.</summary>
        public Task Loop => host.ExecuteTask!;

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
            await services.DisposeAsync();
        }
    }
}
