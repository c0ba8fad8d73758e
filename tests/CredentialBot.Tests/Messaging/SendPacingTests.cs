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

namespace CredentialBot.Tests.Messaging;

/// <summary>
/// Requests to the Connector are paced so no one-second window, however aligned, holds more slots than Teams' per-tenant
/// limit — the tenant's, shared through the store by every instance. (What arrives late is held by the hard limit,
/// ConnectorRequestWindowTests and SeveralHostsDispatching.) The clock stands still and timers fire at once, so the test
/// reads the schedule without waiting for it.
/// </summary>
public sealed class SendPacingTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cb-limits-{Guid.NewGuid():N}.db");
    private readonly RecordingDelays _time = new(TestClock.DefaultStart);
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
        var limits = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });

        for (var i = 0; i < 200; i++)
        {
            await limits.WaitForSlotAsync("tenant", CancellationToken.None);
        }

        AssertPacedAtTheLimit(200);
    }

    [Fact]
    public async Task TwoInstancesOnOneStore_ShareTheTenantsBudget_AndTogetherNeverExceedIt()
    {
        var first = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });
        var second = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 });

        // Both fan out at once: each alone would send 50 a second, together 100 without the shared budget.
        await Task.WhenAll(
            Task.Run(() => FanOutAsync(first)),
            Task.Run(() => FanOutAsync(second)));

        AssertPacedAtTheLimit(200);
    }

    [Fact]
    public async Task ARequestThatWakesLate_GoesOnTheSlotItHas_LeavingNoSlotEmpty()
    {
        var late = new JumpingClock(TestClock.DefaultStart, lateBy: TimeSpan.FromMilliseconds(45));
        var limits = await InstanceAsync(new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 }, late);

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
        var options = new SendLimitOptions { TenantSendsPerSecond = 50, TenantSendHeadroom = 0 };
        var pacing = await InstanceAsync(options, clock);
        var services = _instances[^1];
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
        var limits = await InstanceAsync(new SendLimitOptions());

        await limits.WaitForSlotAsync("contoso", CancellationToken.None);
        await limits.WaitForSlotAsync("fabrikam", CancellationToken.None);
        Assert.Empty(_time.Delays);
    }

    private static async Task FanOutAsync(SendPacing limits)
    {
        for (var i = 0; i < 100; i++)
        {
            await limits.WaitForSlotAsync("tenant", CancellationToken.None);
        }
    }

    /// <summary>The first send goes at once (no delay recorded); the others wait for their slots, 50 a second.</summary>
    private void AssertPacedAtTheLimit(int sends)
    {
        List<TimeSpan> slots = [TimeSpan.Zero, .. _time.Delays];
        Assert.Equal(sends, slots.Count);
        Assert.Equal(sends, slots.Distinct().Count());
        var busiest = slots.Max(start => slots.Count(s => s >= start && s < start + TimeSpan.FromSeconds(1)));
        // Slots 1/50 s apart: the limit in a half-open second and never more, so pacing keeps the budget full (what
        // arrives together is held to the limit by the hard window, TenantRequestBudgetTests).
        Assert.Equal(50, busiest);
        // Timers round delays to whole milliseconds.
        Assert.InRange(slots.Max(), TimeSpan.FromSeconds(((sends - 1) / 50.0) - 0.002), TimeSpan.FromSeconds(((sends - 1) / 50.0) + 0.01));
    }

    /// <summary>One instance of the bot's send limits on the shared SQLite store, as the host wires them.</summary>
    private async Task<SendPacing> InstanceAsync(SendLimitOptions options, TimeProvider? time = null)
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

        return new SendPacing(Options.Create(options), time, provider.GetRequiredService<IServiceScopeFactory>());
    }
}
