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
        var startUp = await LastCompletedAsync();

        _bot.Time.Advance(TimeSpan.FromHours(6) - TimeSpan.FromSeconds(1));
        // Timers of the fake clock fire inside Advance; a tick would have reached Graph within milliseconds.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(atStart, _bot.Tenant.HttpRequestCount);

        _bot.Time.Advance(TimeSpan.FromSeconds(1));
        var first = await ScanCompletedAsync(startUp);
        Assert.True(_bot.Tenant.HttpRequestCount > atStart, "The first scheduled scan read the tenant.");
        Assert.Equal(startUp + TimeSpan.FromHours(6), first);
        var afterFirst = _bot.Tenant.HttpRequestCount;

        _bot.Time.Advance(TimeSpan.FromHours(6));
        var second = await ScanCompletedAsync(first);
        Assert.True(_bot.Tenant.HttpRequestCount > afterFirst, "The second scheduled scan read the tenant.");
        Assert.Equal(first + TimeSpan.FromHours(6), second);
    }

    /// <summary>
    /// Waits until a scan after <paramref name="previous"/> is recorded as completed: that record, not Graph falling
    /// quiet, is what the next scan is due from (the scan still writes the compliance summary after its last page).
    /// </summary>
    private async Task<DateTimeOffset> ScanCompletedAsync(DateTimeOffset previous)
    {
        var completed = previous;
        await Eventually.UntilAsync(async () => (completed = await LastCompletedAsync()) > previous, attempts: 400);
        return completed;
    }

    private async Task<DateTimeOffset> LastCompletedAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var completed = await scope.ServiceProvider.GetRequiredService<LeaseStore>().LastCompletedAsync(ScannerLease.Name);
        return completed ?? throw new InvalidOperationException("The start-up scan is recorded before the test runs.");
    }
}
