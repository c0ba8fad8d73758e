using CredentialBot.Store.Services;
using CredentialBot.TestKit.Logging;
using CredentialBot.TestKit.Waiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ManualClock = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Leader takeover in minutes: a held lease is renewed while its work runs, released when done, and a holder that
/// dies is replaced within two minutes; a holder that loses its lease (cut off from the store, or overtaken) is told
/// to stop before anyone else may take over. Each "instance" has its own services over one store; time is a fake
/// clock whose timers fire when a test advances it.
/// </summary>
public abstract class LeaseKeeperTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private const string Scanner = "scanner";
    private readonly TStore _store = new();
    private readonly ManualClock _clock = new(TestKit.Time.TestClock.DefaultStart);
    private readonly LogCapture _logs = new();
    private readonly List<ServiceProvider> _instances = [];

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    [Fact]
    public async Task AHeldLease_IsRenewedWhileTheWorkRuns_SoNoOtherInstanceTakesIt()
    {
        await using var held = await Keeper().TryHoldAsync(Scanner, "instance-a");
        Assert.NotNull(held);

        // Three minutes: three times the lease's duration.
        for (var i = 0; i < 9; i++)
        {
            await AdvanceAndAwaitRenewalAsync(held);
            Assert.Null(await Keeper().TryHoldAsync(Scanner, "instance-b"));
        }

        Assert.False(held.IsLost);
        Assert.Empty(_logs.AtLeast(LogLevel.Warning));
    }

    [Fact]
    public async Task AnInstanceKilledWhileHoldingTheLease_IsReplacedWithinTwoMinutes()
    {
        // kill -9 right after taking the lease: no renewal, no release.
        await using (var db = _store.NewContext())
        {
            Assert.True(await new LeaseStore(db, _clock).TryAcquireAsync(Scanner, "instance-a", LeaseKeeper.Duration));
        }

        var killedAt = _clock.GetUtcNow();
        var survivor = Keeper();
        HeldLease? takeover = null;
        while (takeover is null)
        {
            // The survivor polls as the host does.
            _clock.Advance(LeaseKeeper.PollEvery);
            takeover = await survivor.TryHoldAsync(Scanner, "instance-b");
            Assert.True(_clock.GetUtcNow() - killedAt <= TimeSpan.FromMinutes(2), "No takeover within two minutes.");
        }

        await using (takeover)
        {
            Assert.True(_clock.GetUtcNow() - killedAt >= LeaseKeeper.Duration, "Taken over before the dead holder's lease expired.");
        }
    }

    [Fact]
    public async Task AnInstanceCutOffFromTheStore_StopsItsWork_BeforeAnotherInstanceCanTakeOver()
    {
        var (cutOff, services) = KeeperWithServices();
        var held = await cutOff.TryHoldAsync(Scanner, "instance-a");
        Assert.NotNull(held);
        var acquiredAt = _clock.GetUtcNow();

        // Its store connection is gone: every renewal fails from now on.
        await services.DisposeAsync();
        while (!held.IsLost)
        {
            Assert.Null(await Keeper().TryHoldAsync(Scanner, "instance-b"));
            var failures = RenewalFailures();
            _clock.Advance(LeaseKeeper.RenewEvery);
            await Until.TrueAsync(() => held.IsLost || RenewalFailures() > failures, what: "the renewal attempt");
        }

        var gaveUpAt = _clock.GetUtcNow();
        Assert.True(gaveUpAt < acquiredAt + LeaseKeeper.Duration, $"The holder noticed only at {gaveUpAt - acquiredAt}, when others could already hold the lease.");
        Assert.Null(await Keeper().TryHoldAsync(Scanner, "instance-b"));
        _clock.SetUtcNow(acquiredAt + LeaseKeeper.Duration);
        await using var takeover = await Keeper().TryHoldAsync(Scanner, "instance-b");
        Assert.NotNull(takeover);
        await held.DisposeAsync();
    }

    [Fact]
    public async Task ALeaseTakenByAnotherHolder_IsReportedLost_AtTheNextRenewal()
    {
        await using var held = await Keeper().TryHoldAsync(Scanner, "instance-a");
        Assert.NotNull(held);

        // As if this instance had paused past the expiry and another had taken the lease meanwhile.
        await using (var db = _store.NewContext())
        {
            await db.Leases.Where(l => l.Name == Scanner).ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, "instance-b"));
        }

        _clock.Advance(LeaseKeeper.RenewEvery);

        await Until.TrueAsync(() => held.IsLost, what: "the lease reported lost");
        Assert.True(held.Lost.IsCancellationRequested);
        Assert.False(await held.CompleteAsync());
        await using var check = _store.NewContext();
        Assert.Equal("instance-b", (await check.Leases.SingleAsync()).Holder);
    }

    [Fact]
    public async Task DisposingAHeldLease_ReleasesItAtOnce()
    {
        var held = await Keeper().TryHoldAsync(Scanner, "instance-a");
        Assert.NotNull(held);

        await held.DisposeAsync();

        await using var next = await Keeper().TryHoldAsync(Scanner, "instance-b");
        Assert.NotNull(next);
    }

    [Fact]
    public async Task CompletingTheWork_ReleasesTheLease_AndRecordsWhenItWasDone()
    {
        var held = await Keeper().TryHoldAsync(Scanner, "instance-a");
        Assert.NotNull(held);
        await AdvanceAndAwaitRenewalAsync(held);

        Assert.True(await held.CompleteAsync());
        await held.DisposeAsync();

        await using var db = _store.NewContext();
        Assert.Equal(_clock.GetUtcNow(), await new LeaseStore(db, _clock).LastCompletedAsync(Scanner));
        await using var next = await Keeper().TryHoldAsync(Scanner, "instance-b");
        Assert.NotNull(next);
    }

    [Fact]
    public async Task LosingTheRaceForALease_IsNotAWarningOrAnError()
    {
        await using var held = await Keeper().TryHoldAsync(Scanner, "instance-a");

        var others = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Keeper().TryHoldAsync(Scanner, $"instance-{i + 1}")));

        Assert.All(others, Assert.Null);
        Assert.Empty(_logs.AtLeast(LogLevel.Warning));
    }

    private async Task AdvanceAndAwaitRenewalAsync(HeldLease held)
    {
        _clock.Advance(LeaseKeeper.RenewEvery);
        var expected = _clock.GetUtcNow() + LeaseKeeper.Duration;
        await Until.TrueAsync(() => held.ExpiresAt == expected || held.IsLost, what: "the renewal");
        Assert.False(held.IsLost);
    }

    private int RenewalFailures() => _logs.AtLeast(LogLevel.Warning).Count(l => l.Contains("Renewing lease", StringComparison.Ordinal));

    private LeaseKeeper Keeper() => KeeperWithServices().Keeper;

    /// <summary>One instance: its own container, contexts and keeper over the shared store and clock.</summary>
    private (LeaseKeeper Keeper, ServiceProvider Services) KeeperWithServices()
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs))
            .AddSingleton<TimeProvider>(_clock)
            .AddScoped(_ => _store.NewContext())
            .AddScoped<LeaseStore>()
            .AddSingleton<LeaseKeeper>()
            .BuildServiceProvider();
        _instances.Add(services);
        return (services.GetRequiredService<LeaseKeeper>(), services);
    }
}

/// <summary><see cref="LeaseKeeperTests{TStore}"/> on SQLite.</summary>
public sealed class SqliteLeaseKeeperTests : LeaseKeeperTests<SqliteStore>;

/// <summary><see cref="LeaseKeeperTests{TStore}"/> on PostgreSQL.</summary>
public sealed class PostgresLeaseKeeperTests : LeaseKeeperTests<PostgresStore>;
