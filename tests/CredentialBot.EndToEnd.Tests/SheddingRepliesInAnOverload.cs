using System.Net;
using CredentialBot.Shared.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Three people write at once to a tenant whose Connector budget is 2 requests a second, and the host's clock then
/// jumps past the time Teams stops waiting (a stalled machine): replies whose slots came in time but that could not
/// leave before their deadline are shed, not sent late. Each message is still answered 200 (Teams must not send it
/// again into the overload), nothing reaches the Connector for the shed ones, and each is logged.
/// Issue 18: the same overload attacks who counts as waiting for the bot (the scan rests between its batches while
/// anyone does, ScanRest): every activity Teams posted, from its arrival until it is answered, and nobody once answered.
/// </summary>
public sealed class SheddingRepliesInAnOverload : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost()
        .With("Notifications:TenantSendsPerSecond", "2")
        .With("Notifications:TenantSendHeadroom", "0");

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task RepliesThatWakeAfterTeamsStoppedWaiting_AreShed_NotSentLate()
    {
        var before = _bot.Connector.Calls.Count;
        var messages = new[] { BotHost.Alex, "person-b", "person-c" }.Select(person => _bot.SendMessageHoldingTheClockAsync("help", person)).ToList();

        // Slots are paced a third of a second apart, and the clock stands still: one reply leaves, two wait for theirs.
        await _bot.Connector.WaitForCallsAsync(before + 1);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(before + 1, _bot.Connector.Calls.Count);

        // Past Teams' 15 s: the two wake with slots that were in time, but their deadline is gone.
        _bot.Time.Advance(TimeSpan.FromSeconds(16));
        var answers = await Task.WhenAll(messages);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(before + 1, _bot.Connector.Calls.Count);
        Assert.Equal(2, _bot.Logs.AtLeast(LogLevel.Warning).Count(line => line.Contains("The reply to 'help' was shed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PeopleWhoseRepliesWaitForASlot_AreCountedAsWaiting_UntilEachIsAnswered()
    {
        var waiting = _bot.Services.GetRequiredService<PeopleWaiting>();
        Assert.False(waiting.Any);

        var before = _bot.Connector.Calls.Count;
        var messages = new[] { BotHost.Alex, "person-b", "person-c" }.Select(person => _bot.SendMessageHoldingTheClockAsync("help", person)).ToList();
        await _bot.Connector.WaitForCallsAsync(before + 1);

        Assert.True(waiting.Any);
        Assert.True(messages.Count(m => !m.IsCompleted) >= 2);

        // Within Teams' 15 s: the clock moves a second at a time (each slot is a timer set when the last one fired),
        // both replies leave, and each request ends answered.
        for (var second = 0; second < 10 && !messages.TrueForAll(m => m.IsCompleted); second++)
        {
            _bot.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(Task.WhenAll(messages), Task.Delay(TimeSpan.FromMilliseconds(500)));
        }

        await Task.WhenAll(messages);
        await _bot.Connector.WaitForCallsAsync(before + 3);

        // The count ends as the endpoint's pipeline returns, which may be a moment after the client has its answer.
        await Eventually.WaitAsync(() => waiting.Any ? null : "nobody waits");
    }
}
