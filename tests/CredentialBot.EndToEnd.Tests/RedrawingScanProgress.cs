using CredentialBot.Scanning;
using CredentialBot.Simulator;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Issue 17: "scan now" sometimes ended "The scan started by … failed" because its progress redraw read the store
/// through the scan's own DbContext while the scan wrote ("A second operation was started on this context
/// instance"). Here every batch is reported and redrawn while the next batch is written; the scan must finish.
/// Issue 12: the chat scan holds the scanner lease as the scheduled scan does, renewed while it runs, and stops when the
/// lease is lost. The clock is moved from the test, never by the host's own reads: a fake clock that advances on every
/// read runs due timers on the reading thread, which once ran a lease renewal and a send-slot write on the scan's
/// thread inside its SQLite write transaction, so the thread waited out the 30 s busy timeout on its own lock.
/// </summary>
public sealed class RedrawingScanProgress : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost().With("Scanner:BatchSize", "10").With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();

        // New apps since the start-up scan: the chat scan reads them as a delta, ten per batch, reporting each batch.
        var now = _bot.Time.GetUtcNow();
        for (var i = 0; i < 300; i++)
        {
            _bot.Tenant.Add(new SimObject
            {
                Id = $"9e9e9e9e-0000-4000-8000-{i:D12}",
                AppId = $"9f9f9f9f-0000-4000-8000-{i:D12}",
                DisplayName = $"Batch App {i:D3}",
                Kind = SimObjectKind.Application,
                CreatedDateTime = now,
                PasswordCredentials = [new SimCredential(Guid.NewGuid().ToString(), "s", now.AddDays(-300), now.AddDays(20 + (i % 40)), "s")],
                OwnerIds = [DemoTenant.Isaiah],
            });
        }
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task ScanNow_RedrawsProgressWhileTheScanWrites_RenewsItsLease_AndFinishes()
    {
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
        AddApps(300, 2000);
        using (var response = await _bot.SendMessageAsync("scan now", BotHost.Megan, "Megan Bowen"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        // From here every Graph request lasts until the test moves the clock, so the scan spans many steps on any machine.
        _bot.SimulatorOptions.LatencyClock = _bot.Time;
        _bot.SimulatorOptions.Latency = TimeSpan.FromSeconds(3);

        // Three seconds a step, so every progress report is two seconds after the previous redraw, and the scan outlives
        // its lease's first term many times over unless it is renewed.
        var started = _bot.Time.GetUtcNow();
        var expiries = new HashSet<DateTimeOffset>();
        JsonElementCall? last = null;
        for (var step = 0; step < 4000 && (last = Finished()) is null; step++)
        {
            _bot.Time.Advance(TimeSpan.FromSeconds(3));
            await Task.Delay(5);
            if (await ScannerLeaseAsync() is { } lease && lease.Holder.StartsWith("scan now by Megan Bowen", StringComparison.Ordinal) && lease.ExpiresAt > DateTimeOffset.MinValue)
            {
                expiries.Add(lease.ExpiresAt);
            }
        }

        Assert.NotNull(last);
        Assert.Contains("Scan finished", CardReading.AllText(last.Value.Body), StringComparison.Ordinal);
        Assert.True(_bot.Time.GetUtcNow() - started > LeaseKeeper.Duration * 2, "the scan outlived its lease's first term");
        Assert.True(expiries.Count >= 2, $"the lease was renewed while the scan ran (expiries seen: {expiries.Count})");
        Assert.True(_bot.Connector.Calls.Count(c => c.Method == "PUT" && CardReading.AllText(c.Body).Contains("stored so far", StringComparison.Ordinal)) >= 3, "progress was redrawn while the scan ran");
        Assert.DoesNotContain(_bot.Logs.Lines, line => line.Contains("second operation", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(_bot.Logs.Lines, line => line.Contains("database is locked", StringComparison.OrdinalIgnoreCase));

        // The finished card is the last one, and the lease was released as completed.
        Assert.Same(last.Value.Call, _bot.Connector.Calls.Last(c => c.Method == "PUT"));
        Assert.Equal(DateTimeOffset.MinValue, (await ScannerLeaseAsync())!.ExpiresAt);
    }

    [Fact]
    public async Task ScanNow_WhoseLeaseAnotherInstanceTookOver_Stops_AndSaysItFailed()
    {
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
        AddApps(300, 5000);
        using (var response = await _bot.SendMessageAsync("scan now", BotHost.Megan, "Megan Bowen"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        _bot.SimulatorOptions.LatencyClock = _bot.Time;
        _bot.SimulatorOptions.Latency = TimeSpan.FromSeconds(3);

        // Under way: it holds the scanner lease, and with 5,000 new Apps to read and every Graph request waiting for the
        // test's clock it is still at work when the lease is taken from it.
        for (var step = 0; step < 400 && (await ScannerLeaseAsync())?.Holder.StartsWith("scan now by", StringComparison.Ordinal) != true; step++)
        {
            await Task.Delay(10);
        }

        // Another instance holds the lease now (as after this one stalled past its expiry); the next renewal finds out.
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
            var until = _bot.Time.GetUtcNow().AddHours(1);
            await db.Leases.Where(l => l.Name == ScannerLease.Name).ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, "another instance").SetProperty(l => l.ExpiresAt, until));
        }

        _bot.Time.Advance(LeaseKeeper.RenewEvery);
        JsonElementCall? last = null;
        for (var step = 0; step < 4000 && (last = Finished()) is null; step++)
        {
            _bot.Time.Advance(TimeSpan.FromSeconds(3));
            await Task.Delay(5);
        }

        Assert.NotNull(last);
        Assert.Contains("Scan failed", CardReading.AllText(last.Value.Body), StringComparison.Ordinal);
        Assert.Contains(_bot.Logs.Lines, line => line.Contains("scanner lease", StringComparison.OrdinalIgnoreCase) && line.Contains("another instance may take over", StringComparison.Ordinal));
        Assert.Equal("another instance", (await ScannerLeaseAsync())!.Holder);
    }

    /// <summary>More new Apps, no credentials: a longer scan.</summary>
    private void AddApps(int from, int to)
    {
        var now = _bot.Time.GetUtcNow();
        for (var i = from; i < to; i++)
        {
            _bot.Tenant.Add(new SimObject
            {
                Id = $"9e9e9e9e-0000-4000-8000-{i:D12}",
                AppId = $"9f9f9f9f-0000-4000-8000-{i:D12}",
                DisplayName = $"Batch App {i:D4}",
                Kind = SimObjectKind.Application,
                CreatedDateTime = now,
                OwnerIds = [DemoTenant.Isaiah],
            });
        }
    }

    private JsonElementCall? Finished() =>
        _bot.Connector.Calls.LastOrDefault(c => c.Method == "PUT" && (CardReading.AllText(c.Body).Contains("Scan finished", StringComparison.Ordinal) || CardReading.AllText(c.Body).Contains("Scan failed", StringComparison.Ordinal))) is { } call
            ? new JsonElementCall(call, call.Body)
            : null;

    private async Task<Store.Entities.LeaseRecord?> ScannerLeaseAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().Leases.AsNoTracking().FirstOrDefaultAsync(l => l.Name == ScannerLease.Name);
    }

    private readonly record struct JsonElementCall(TestKit.Connector.ConnectorCall Call, System.Text.Json.JsonElement Body);
}
