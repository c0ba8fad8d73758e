using System.Collections.Concurrent;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Tests.Messaging;

/// <summary>
/// Requests to the Connector are paced so no one-second window, however aligned, holds more of them than Teams'
/// per-tenant limit — the tenant's, shared through the store by every instance. (What arrives late is held by the hard
/// limit, ConnectorRequestWindowTests and SeveralHostsDispatching.) Slots are taken at most a horizon ahead, so requests
/// that give up cannot queue dead slots far ahead of the living, and a reply that cannot leave before its deadline is
/// shed. The clock is a fake that stands still or follows real time while the requests wait (<see cref="ClockDriving"/>);
/// the tests read the slots the requests were given; how fast the budget serves is the bench's to measure, not theirs.
/// </summary>
public sealed class SendPacingTests : IDisposable
{
    private const string Tenant = "tenant";
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cb-limits-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(TestClock.DefaultStart);
    private readonly List<ServiceProvider> _instances = [];

    public void Dispose()
    {
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ATenantsSends_NeverExceedTheLimitInAnyOneSecondWindow()
    {
        var (pacing, _) = await InstanceAsync(AtTheLimit);
        var slots = new ConcurrentBag<DateTimeOffset>();

        await _time.RunAsync(() => Task.WhenAll(Enumerable.Range(0, 150).Select(_ => SendAsync(pacing, slots))));

        AssertNeverAboveTheLimit(slots, 150);
    }

    [Fact]
    public async Task TwoInstancesOnOneStore_ShareTheTenantsBudget_AndTogetherNeverExceedIt()
    {
        var (first, _) = await InstanceAsync(AtTheLimit);
        var (second, _) = await InstanceAsync(AtTheLimit);
        var slots = new ConcurrentBag<DateTimeOffset>();

        // Both fan out at once: each alone would send 50 a second, together 100 without the shared budget.
        await _time.RunAsync(() => Task.WhenAll(Enumerable.Range(0, 150).Select(i => SendAsync(i % 2 == 0 ? first : second, slots))));

        AssertNeverAboveTheLimit(slots, 150);
    }

    [Fact]
    public async Task ARequestThatWakesLate_GoesOnTheSlotItHas_LeavingNoSlotEmpty()
    {
        var late = new JumpingClock(TestClock.DefaultStart, lateBy: TimeSpan.FromMilliseconds(45));
        var (limits, _) = await InstanceAsync(AtTheLimit, late);

        for (var i = 0; i < 20; i++)
        {
            await limits.WaitForSlotAsync("tenant", CancellationToken.None);
        }

        // Every timer fired more than two slots late. A late request goes on the slot it has, so the next one finds its
        // slot already due and goes at once: ten waits for twenty requests. (Taking a new slot instead, as pacing once
        // did, waited nineteen times and left each missed slot empty: a third of the budget on a busy machine.)
        Assert.Equal(10, late.Timers);
    }

    [Fact]
    public async Task ARequestHeldBackByTheHardLimit_TakesTheFirstPlaceThatFrees_OnTheSlotItHad()
    {
        var clock = new JumpingClock(TestClock.DefaultStart);
        var options = AtTheLimit;
        var (pacing, services) = await InstanceAsync(options, clock);
        // The last second's 50 requests were answered just now: the tenant's budget is spent for a second.
        await using (var scope = services.CreateAsyncScope())
        {
            var window = scope.ServiceProvider.GetRequiredService<ConnectorRequestWindow>();
            for (var i = 0; i < 50; i++)
            {
                await window.EndAsync((await window.TryStartAsync("tenant", 50)).Id!.Value);
            }
        }

        using var budget = new TenantRequestBudget(
            pacing, Options.Create(options), Options.Create(new BotAuthOptions { MicrosoftAppTenantId = "tenant" }), clock, services.GetRequiredService<IServiceScopeFactory>(), NullLogger<TenantRequestBudget>.Instance);
        await using (await budget.EnterAsync(CancellationToken.None))
        {
            // One wait: until the oldest counted request left the window, a second (and a millisecond) on.
            Assert.Equal(1, clock.Timers);
            Assert.Equal(TestClock.DefaultStart + TimeSpan.FromMilliseconds(1_001), clock.GetUtcNow());
        }

        // And one slot, the first: the request kept its turn instead of queueing for another slot behind everyone
        // who came meanwhile (which left the freed place empty until then).
        await using var check = services.CreateAsyncScope();
        var budgets = await check.ServiceProvider.GetRequiredService<CredentialBotDbContext>().SendBudgets.AsNoTracking().SingleAsync();
        Assert.Equal(TestClock.DefaultStart + TimeSpan.FromMilliseconds(20), budgets.NextSlotAt);
    }

    [Fact]
    public async Task Tenants_ArePacedIndependently()
    {
        var (pacing, _) = await InstanceAsync(new SendLimitOptions());

        // The clock stands still: each tenant's first request leaves at once.
        await pacing.WaitForSlotAsync("contoso", CancellationToken.None);
        await pacing.WaitForSlotAsync("fabrikam", CancellationToken.None);
    }

    /// <summary>
    /// The soak's collapse: more requests wait than the budget serves, and most of them give up. Slots used to be
    /// reserved far ahead by every waiting request, so those that gave up left their slots dead ahead of everyone still
    /// waiting (300 waiting requests held 300 slots, 6.7 s of the budget). Now only a horizon of slots is reserved ahead
    /// whatever waits: the clock stands still while 300 wait and 200 give up, and the store's line never reaches past
    /// the horizon. Then the clock runs and everyone who stayed is served.
    /// </summary>
    [Fact]
    public async Task RequestsThatGiveUp_LeaveAtMostAHorizonOfUnusedSlots_AheadOfThoseStillWaiting()
    {
        var (pacing, services) = await InstanceAsync(new SendLimitOptions());
        var start = _time.GetUtcNow();
        var interval = SendBudget.IntervalFor(new SendLimitOptions().PacedSendsPerSecond);
        using var giveUp = new CancellationTokenSource();
        var left = new ConcurrentBag<DateTimeOffset>();
        var stayers = new List<Task>();
        var leavers = new List<Task>();
        for (var i = 0; i < 300; i++)
        {
            (i % 3 == 0 ? stayers : leavers).Add(SendAsync(pacing, left, i % 3 == 0 ? CancellationToken.None : giveUp.Token));
        }

        // A horizon's worth hold places (the first slot is now, and leaves at once); everyone else waits in the process.
        await Until(() => pacing.Waiting(Tenant) == 300 - left.Count - pacing.Places);
        await giveUp.CancelAsync();
        await Task.WhenAll(leavers.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        await Until(() => pacing.Waiting(Tenant) == Math.Max(0, stayers.Count - left.Count - pacing.Places));

        Assert.All(leavers, t => Assert.True(t.IsCanceled || t.IsCompletedSuccessfully));
        Assert.InRange(await NextFreeSlotAsync(services), start, start + (interval * (pacing.Places + 1)));

        await _time.RunAsync(() => Task.WhenAll(stayers));
        Assert.Equal(100, left.Count);
    }

    /// <summary>
    /// Replies asked faster than the budget serves, each with the deadline Teams sets: every one either got a slot by
    /// its deadline or was shed, none is sent late, and the proactive sends waiting among them are never shed.
    /// </summary>
    [Fact]
    public async Task RepliesThatCannotLeaveByTheirDeadline_AreShed_NeverSentLate_WhileDigestsWait()
    {
        var (pacing, _) = await InstanceAsync(new SendLimitOptions());
        var replies = new ConcurrentBag<(DateTimeOffset Deadline, DateTimeOffset? Slot)>();
        var digests = new ConcurrentBag<DateTimeOffset>();

        await _time.RunAsync(async () =>
        {
            var asked = new List<Task>();
            for (var i = 0; i < 200; i++)
            {
                var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(2);
                asked.Add(ReplyAsync(pacing, deadline, replies));
                if (i % 10 == 0)
                {
                    asked.Add(SendAsync(pacing, digests));
                }
            }

            await Task.WhenAll(asked);
        });

        Assert.Equal(200, replies.Count);
        Assert.Equal(20, digests.Count);
        Assert.Contains(replies, r => r.Slot is not null);
        Assert.Contains(replies, r => r.Slot is null);
        Assert.All(replies.Where(r => r.Slot is not null), r => Assert.True(r.Slot <= r.Deadline, $"Slot {r.Slot:O}, due by {r.Deadline:O}."));
        Assert.Equal(0, pacing.Waiting(Tenant));
    }

    private static SendLimitOptions AtTheLimit => new() { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 };

    private static async Task SendAsync(SendPacing pacing, ConcurrentBag<DateTimeOffset> slots, CancellationToken cancellationToken = default) =>
        slots.Add(await pacing.WaitForSlotAsync(Tenant, cancellationToken));

    private static async Task ReplyAsync(SendPacing pacing, DateTimeOffset deadline, ConcurrentBag<(DateTimeOffset, DateTimeOffset?)> replies) =>
        replies.Add((deadline, await pacing.TryWaitForSlotAsync(Tenant, deadline, CancellationToken.None)));

    /// <summary>Waits (real time, at most 30 s) until the requests settled as the test expects.</summary>
    private static async Task Until(Func<bool> settled)
    {
        for (var waited = 0; !settled(); waited += 10)
        {
            Assert.True(waited < 30_000, "The requests never settled.");
            await Task.Delay(10);
        }
    }

    /// <summary>Every request got a slot, and no one-second window, however aligned, holds more than the limit of 50.</summary>
    private static void AssertNeverAboveTheLimit(IEnumerable<DateTimeOffset> slots, int sends)
    {
        var times = slots.Order().ToList();
        Assert.Equal(sends, times.Count);
        Assert.Equal(sends, times.Distinct().Count());
        var busiest = times.Max(start => times.Count(t => t >= start && t < start + TimeSpan.FromSeconds(1)));
        Assert.InRange(busiest, 1, 50);
    }

    private static async Task<DateTimeOffset> NextFreeSlotAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SendBudget>().ReserveAsync(Tenant, new SendLimitOptions().PacedSendsPerSecond + 1);
    }

    /// <summary>One instance of the bot's send pacing on the shared SQLite store, as the host wires it.</summary>
    private async Task<(SendPacing Pacing, IServiceProvider Services)> InstanceAsync(SendLimitOptions options, TimeProvider? time = null)
    {
        time ??= _time;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Store:ConnectionString"] = $"Data Source={_path}" }).Build();
        var services = new ServiceCollection().AddSingleton(time).AddLogging();
        services.AddCredentialBotStore(configuration);
        var provider = services.BuildServiceProvider();
        _instances.Add(provider);
        await using (var scope = provider.CreateAsyncScope())
        {
            await StoreDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>());
        }

        return (new SendPacing(Options.Create(options), time, provider.GetRequiredService<IServiceScopeFactory>()), provider);
    }
}
