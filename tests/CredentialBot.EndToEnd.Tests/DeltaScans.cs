using CredentialBot.Scanning;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>After the first full scan, scans read only what changed; an expired delta link falls back to a full resync.</summary>
public sealed class DeltaScans : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.ScanAndSeedAsync();
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task TheSecondScan_ReadsOnlyChanges_AndFarFewerPages()
    {
        var before = _bot.Tenant.RequestCount;
        var second = await ScanAsync();
        var requests = _bot.Tenant.RequestCount - before;

        Assert.Equal((ScanMode.Delta, ScanMode.Delta), (second.ApplicationsMode, second.ServicePrincipalsMode));
        Assert.Equal((0, 0), (second.Applications, second.ServicePrincipals));
        Assert.Equal(2, requests);
    }

    [Fact]
    public async Task AChangedApp_IsUpdated_AndARemovedOneDisappears()
    {
        _bot.Tenant.Modify(DemoTenant.ObjectId(6), app => app.DisplayName = "Inventory Sync (renamed)");
        _bot.Tenant.Remove(DemoTenant.ObjectId(7));

        var result = await ScanAsync();

        Assert.Equal(1, result.Applications);
        await using var scope = _bot.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<AppCatalog>();
        Assert.Equal("Inventory Sync (renamed)", (await catalog.GetAsync(DemoTenant.ObjectId(6)))!.DisplayName);
        Assert.Null(await catalog.GetAsync(DemoTenant.ObjectId(7)));
        Assert.Contains("Alex Wilber", (await catalog.GetAsync(DemoTenant.ObjectId(6)))!.Owners.Select(o => o.DisplayName));
    }

    [Fact]
    public async Task AnExpiredDeltaLink_FallsBackToAFullResync()
    {
        _bot.Tenant.ExpireDeltaTokens();

        var result = await ScanAsync();
        var after = await ScanAsync();

        Assert.Equal((ScanMode.Full, ScanMode.Full), (result.ApplicationsMode, result.ServicePrincipalsMode));
        Assert.Equal(20, result.Applications);
        Assert.Equal(ScanMode.Delta, after.ApplicationsMode);
    }

    private async Task<ScanResult> ScanAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None);
    }
}
