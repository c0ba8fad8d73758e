using CredentialBot.Scanning;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The scanner's schedule runs on the host's clock: a fake one here, so six hours pass when the test says so, not on
/// the wall: the next scan is due an interval after the last one completed. (One instance scans at a time; the lease and
/// the scan itself are covered elsewhere.)
/// </summary>
public sealed class RunningOnSchedule : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost()
        .With("Scanner:Enabled", "true")
        .With("Scanner:ScanAtStart", "false")
        .With("Scanner:Interval", "06:00:00");

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();

        // The host's start-up scan, recorded as a completed scan would be: every instance looks every 30 s whether the
        // next is due, counted from the last completion in the store.
        await using var scope = _bot.Services.CreateAsyncScope();
        var leases = scope.ServiceProvider.GetRequiredService<LeaseStore>();
        Assert.True(await leases.TryAcquireAsync(ScannerLease.Name, "the start-up scan", TimeSpan.FromMinutes(1)));
        Assert.Equal(1, await leases.CompleteAsync(ScannerLease.Name, "the start-up scan"));
    }

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
