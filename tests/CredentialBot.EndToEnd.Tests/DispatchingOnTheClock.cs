using System.Net;
using CredentialBot.Digests;
using CredentialBot.Store;
using CredentialBot.Store.Entities;
using CredentialBot.TestKit.Time;
using CredentialBot.TestKit.Waiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The background dispatcher's timing, on the host's fake clock: a digest the Connector throttled is tried again by the
/// dispatcher's own interval once its back-off has passed on the clock (the first pass after it is due), and not
/// before, with nothing waking it. The test moves the clock one dispatch interval at a time, each time after the dispatcher
/// has finished its pass and waits again: no wall-clock waits decide anything.
/// </summary>
public sealed class DispatchingOnTheClock : IAsyncLifetime
{
    /// <summary>An interval no other timer in the host uses, so its timer is the dispatcher's.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(47);
    private readonly BotHost _bot;
    private readonly WatchedClock _clock;

    public DispatchingOnTheClock()
    {
        _bot = new BotHost()
            .With("Notifications:DispatcherEnabled", "true")
            .With("Notifications:DispatchInterval", "00:00:47")
            .With("Bot:ConnectorRetry:MaxRetries", "0");
        _clock = new WatchedClock(_bot.Time);
        _bot.WithServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(_clock);
        });
    }

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AThrottledDigest_IsRetriedOnTheDispatchersInterval_OnceItsBackOffHasPassed_AndNotBefore()
    {
        _bot.Connector.SendStatus = HttpStatusCode.TooManyRequests;
        await _bot.InstallAsync();
        await Eventually.WaitAsync(() => Posts() == 1 ? "throttled" : null);
        var throttledAt = _clock.GetUtcNow();
        _bot.Connector.SendStatus = HttpStatusCode.OK;
        // When the store says the notices are due again: 2^n minutes for their n-th attempt (they were claimed once
        // before, when Alex had not installed the bot yet).
        DateTimeOffset due = default;
        await Until.TrueAsync(async () => (due = await DueAgainAsync() ?? default) > throttledAt, what: "the throttled notices' next attempt");
        var backOff = DeliveryBackoff.NextAttempt(await AttemptsAsync(), throttledAt)!.Value;
        Assert.InRange(due, backOff - TimeSpan.FromSeconds(1), backOff);

        DateTimeOffset? sentAt = null;
        for (var step = 0; step < 10; step++)
        {
            // A pass has ended and the dispatcher waits on its interval: look, then move the clock by exactly that much.
            await _clock.TimerCreatedAsync(Interval);
            if (Posts() > 1)
            {
                sentAt = _clock.GetUtcNow();
                break;
            }

            _clock.Fake.Advance(Interval);
        }

        Assert.NotNull(sentAt);
        Assert.Equal(2, Posts());
        Assert.InRange(sentAt.Value, due, due + Interval);
    }

    /// <summary>The earliest next attempt of Alex's notices, once none is being sent.</summary>
    private async Task<DateTimeOffset?> DueAgainAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().Outbox.AsNoTracking().Where(m => m.RecipientObjectId == BotHost.Alex).ToListAsync();
        return rows.Count == 0 || rows.Any(m => m.Status != OutboxStatus.Pending) ? null : rows.Min(m => m.NextAttemptAt);
    }

    private async Task<int> AttemptsAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().Outbox.Where(m => m.RecipientObjectId == BotHost.Alex).MaxAsync(m => m.Attempts);
    }

    /// <summary>Digests posted to Alex (the install's welcome card is posted there too, and is not counted).</summary>
    private int Posts() => _bot.Connector.Calls.Count(c => c.Method == "POST" && c.ConversationId == $"a:personal-{BotHost.Alex}" && c.Body.GetRawText().Contains("Credentials that need you", StringComparison.Ordinal));
}
