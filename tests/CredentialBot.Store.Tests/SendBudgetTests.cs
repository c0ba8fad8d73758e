using CredentialBot.Store.Services;
using CredentialBot.TestKit.Logging;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Teams' send limit is per tenant, not per process: every sender on every instance reserves its slot in the store,
/// and however many reserve at once, no one-second window ever holds more sends than the limit.
/// </summary>
public abstract class SendBudgetTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private const int Limit = 50;
    private const string Tenant = "contoso";
    private readonly TStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(49)]
    [InlineData(1000)]
    public void TheSlotSpacing_FitsAtMostTheLimitInAnyOneSecondWindow(int limit)
    {
        var interval = SendBudget.IntervalFor(limit);

        // A window of one second holds ⌊1 s / interval⌋ + 1 evenly spaced slots at most.
        Assert.True(TimeSpan.TicksPerSecond / interval.Ticks + 1 <= limit, $"{interval} fits more than {limit}.");
    }

    [Fact]
    public async Task ReservationsAtOneInstant_AreSpacedOneIntervalApart()
    {
        var slots = new List<DateTimeOffset>();
        for (var i = 0; i < 5; i++)
        {
            slots.Add(await Budget().ReserveAsync(Tenant, Limit));
        }

        var now = _store.Time.GetUtcNow();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => now + (SendBudget.IntervalFor(Limit) * i)), slots);
    }

    [Fact]
    public async Task SlotsAreNeverReservedBeyondTheHorizon_SoRequestsThatGiveUpCannotQueueThemFarAhead()
    {
        var horizon = TimeSpan.FromSeconds(1);
        var slots = new List<DateTimeOffset?>();
        for (var i = 0; i < 100; i++)
        {
            slots.Add(await Budget().TryReserveWithinAsync(Tenant, Limit, horizon));
        }

        var now = _store.Time.GetUtcNow();
        var granted = slots.OfType<DateTimeOffset>().ToList();
        Assert.All(granted, slot => Assert.InRange(slot, now, now + horizon));
        Assert.Equal((int)(horizon / SendBudget.IntervalFor(Limit)) + 1, granted.Count);
        Assert.All(slots.Skip(granted.Count), slot => Assert.Null(slot));

        // As time passes the horizon moves, and reservations go on one interval apart.
        _store.Time.Advance(SendBudget.IntervalFor(Limit));
        Assert.Equal(granted[^1] + SendBudget.IntervalFor(Limit), await Budget().TryReserveWithinAsync(Tenant, Limit, horizon));
    }

    [Fact]
    public async Task AnIdleTenant_SendsAtOnce_ButSavesNoBurstForLater()
    {
        await Budget().ReserveAsync(Tenant, Limit);
        _store.Time.Advance(TimeSpan.FromSeconds(10));
        var now = _store.Time.GetUtcNow();

        Assert.Equal(now, await Budget().ReserveAsync(Tenant, Limit));
        Assert.Equal(now + SendBudget.IntervalFor(Limit), await Budget().ReserveAsync(Tenant, Limit));
    }

    [Fact]
    public async Task Tenants_HaveBudgetsOfTheirOwn()
    {
        await Budget().ReserveAsync(Tenant, Limit);
        var now = _store.Time.GetUtcNow();

        Assert.Equal(now, await Budget().ReserveAsync("fabrikam", Limit));
        Assert.Equal(now, await Budget().ReserveAsync(null, Limit));
    }

    /// <summary>Six instances with 16 concurrent senders each, 600 sends, the clock moving meanwhile.</summary>
    [Fact]
    public async Task ConcurrentSendersOnSeveralInstances_NeverExceedTheLimitInAnyOneSecondWindow()
    {
        var logs = new LogCapture();
        var slots = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();
        await Task.WhenAll(Enumerable.Range(0, 6 * 16).Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < 600 / (6 * 16) + 1; i++)
            {
                var before = _store.Time.GetUtcNow();
                var slot = await Budget(logs).ReserveAsync(Tenant, Limit);
                Assert.True(slot >= before, "A slot in the past.");
                slots.Add(slot);
                if (sender % 16 == 0)
                {
                    _store.Time.Advance(TimeSpan.FromMilliseconds(7));
                }
            }
        })));

        var sorted = slots.Order().ToList();
        var most = MostInAnyWindow(sorted, TimeSpan.FromSeconds(1));
        Assert.True(most <= Limit, $"{most} sends in one second.");
        // Spread as tightly as the limit allows: not just correct by being slow.
        Assert.True(most >= Limit - 1, $"Only {most} sends in the busiest second.");
        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    /// <summary>
    /// Many instances asking at once within the horizon, with the clock standing still: exactly the slots the horizon
    /// holds are given, each to one request, one interval apart; every other request gets none and reserves nothing.
    /// </summary>
    [Fact]
    public async Task ConcurrentReservationsWithinTheHorizon_GetTheHorizonsSlotsOnce_AndTheRestNothing()
    {
        var horizon = TimeSpan.FromSeconds(1);
        var interval = SendBudget.IntervalFor(Limit);
        var now = _store.Time.GetUtcNow();
        var answers = await Task.WhenAll(Enumerable.Range(0, 120).Select(_ => Task.Run(() => Budget().TryReserveWithinAsync(Tenant, Limit, horizon))));

        var granted = answers.OfType<DateTimeOffset>().Order().ToList();
        Assert.Equal(Enumerable.Range(0, (int)(horizon / interval) + 1).Select(i => now + (interval * i)), granted);

        // Nothing was reserved by the refused: the next slot follows the last one granted.
        Assert.Equal(granted[^1] + interval, await Budget().ReserveAsync(Tenant, Limit));
    }

    /// <summary>The largest number of instants inside any window [t, t + length], t being one of the instants.</summary>
    private static int MostInAnyWindow(List<DateTimeOffset> sorted, TimeSpan length)
    {
        var most = 0;
        var end = 0;
        for (var start = 0; start < sorted.Count; start++)
        {
            while (end < sorted.Count && sorted[end] - sorted[start] <= length)
            {
                end++;
            }

            most = Math.Max(most, end - start);
        }

        return most;
    }

    private SendBudget Budget(ILoggerFactory? logs = null) => new(_store.NewContext(logs), _store.Time);
}

/// <summary><see cref="SendBudgetTests{TStore}"/> on SQLite.</summary>
public sealed class SqliteSendBudgetTests : SendBudgetTests<SqliteStore>;

/// <summary><see cref="SendBudgetTests{TStore}"/> on PostgreSQL.</summary>
public sealed class PostgresSendBudgetTests : SendBudgetTests<PostgresStore>;
