namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The scanner's schedule runs on the host's clock: a fake one here, so six hours pass when the test says so, not on
/// the wall. (One instance scans at a time; the lease and the scan itself are covered elsewhere.)
/// </summary>
public sealed class RunningOnSchedule : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost()
        .With("Scanner:Enabled", "true")
        .With("Scanner:ScanAtStart", "false")
        .With("Scanner:Interval", "06:00:00");

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task TheScanner_ReadsTheTenantEachTimeItsIntervalPassesOnTheClock_AndNotBefore()
    {
        var atStart = _bot.Tenant.HttpRequestCount;

        _bot.Time.Advance(TimeSpan.FromHours(6) - TimeSpan.FromSeconds(1));
        // Timers of the fake clock fire inside Advance; a tick would have reached Graph within milliseconds.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(atStart, _bot.Tenant.HttpRequestCount);

        _bot.Time.Advance(TimeSpan.FromSeconds(1));
        var afterFirst = await ScanFinishedAsync(atStart);

        _bot.Time.Advance(TimeSpan.FromHours(6));
        await ScanFinishedAsync(afterFirst);
    }

    /// <summary>Waits until Graph has been read and then stays quiet for a moment (the scan's last page).</summary>
    private async Task<long> ScanFinishedAsync(long before)
    {
        await Eventually.WaitAsync(() => _bot.Tenant.HttpRequestCount > before ? "read" : null);
        long seen;
        do
        {
            seen = _bot.Tenant.HttpRequestCount;
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }
        while (_bot.Tenant.HttpRequestCount != seen);

        return seen;
    }
}
