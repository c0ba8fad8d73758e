using CredentialBot.Shared.Messaging;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Options;

namespace CredentialBot.Tests.Messaging;

/// <summary>
/// Proactive sends are paced so no one-second window, however aligned, holds more than Teams' per-tenant limit.
/// The clock stands still and timers fire at once, so the test reads the schedule without waiting for it.
/// </summary>
public sealed class ConnectorRateLimitsTests
{
    [Fact]
    public async Task ATenantsSends_NeverExceedTheLimitInAnyOneSecondWindow()
    {
        var time = new RecordingDelays(TestClock.DefaultStart);
        await using var limits = new ConnectorRateLimits(Options.Create(new SendLimitOptions { TenantSendsPerSecond = 50 }), time);

        for (var i = 0; i < 200; i++)
        {
            using var lease = await limits.AcquireAsync("tenant", $"a:conversation-{i}", CancellationToken.None);
        }

        // The first send goes at once (no delay recorded); the others wait for their slots.
        List<TimeSpan> slots = [TimeSpan.Zero, .. time.Delays];
        Assert.Equal(200, slots.Count);
        var busiest = slots.Max(start => slots.Count(s => s >= start && s < start + TimeSpan.FromSeconds(1)));
        Assert.Equal(50, busiest);
        Assert.InRange(slots[^1], TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4.1));
    }

    [Fact]
    public async Task Tenants_ArePacedIndependently()
    {
        var time = new RecordingDelays(TestClock.DefaultStart);
        await using var limits = new ConnectorRateLimits(Options.Create(new SendLimitOptions()), time);

        using (await limits.AcquireAsync("contoso", "a:1", CancellationToken.None))
        using (await limits.AcquireAsync("fabrikam", "a:2", CancellationToken.None))
        {
            Assert.Empty(time.Delays);
        }
    }
}
