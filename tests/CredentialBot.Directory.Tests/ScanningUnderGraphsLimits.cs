using CredentialBot.Domain;
using CredentialBot.Simulator;
using Microsoft.Extensions.DependencyInjection;
using FakeClock = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace CredentialBot.Directory.Tests;

/// <summary>
/// The scan's plan against a Simulator that meters Graph's published limits: it reads every certificate without ever
/// selecting keyCredentials (the capped pattern), asks for owners 15 Apps to a request, and spends resource units only
/// from its own share, so Graph never throttles it.
/// </summary>
public sealed class ScanningUnderGraphsLimits
{
    [Fact]
    public async Task AFullListing_NeverSelectsKeyCredentials_AndStillReadsEveryCertificate()
    {
        var tenant = GeneratedTenant.Create(2_000, 0, seed: 3, TimeProvider.System);
        await using var server = await SimulatorServer.StartAsync(tenant, new SimulatorOptions { Limits = new GraphLimits { KeyCredentialRequests = 1 } });
        await using var services = TestDirectory.Build(server.BaseAddress);

        var apps = await TestDirectory.ToListAsync(services.GetRequiredService<ITenantDirectory>().GetApplicationsAsync());

        Assert.Equal(2_000, apps.Count);
        Assert.Equal(
            tenant.Applications.SelectMany(a => a.KeyCredentials.Select(c => c.KeyId)).Order(StringComparer.Ordinal),
            apps.SelectMany(a => a.Credentials.Where(c => c.Kind == CredentialKind.Certificate).Select(c => c.KeyId)).Order(StringComparer.Ordinal));
        var stats = await TestDirectory.StatsAsync(server);
        Assert.Equal(0, stats["keyCredentialRequests"]);
        Assert.Equal(0, stats["throttled"]);
    }

    [Fact]
    public async Task AFullListing_ReadsEveryOwner_OfEveryApp()
    {
        var tenant = GeneratedTenant.Create(1_500, 0, seed: 5, TimeProvider.System);
        await using var server = await SimulatorServer.StartAsync(tenant);
        await using var services = TestDirectory.Build(server.BaseAddress);

        var apps = await TestDirectory.ToListAsync(services.GetRequiredService<ITenantDirectory>().GetApplicationsAsync());

        Assert.Contains(tenant.Applications, a => a.OwnerIds.Count > 20);
        Assert.Equal(
            tenant.Applications.ToDictionary(a => a.Id, a => string.Join(',', a.OwnerIds.Order(StringComparer.Ordinal))),
            apps.ToDictionary(a => a.ObjectId, a => string.Join(',', a.Owners.Select(o => o.ObjectId).Order(StringComparer.Ordinal))));
    }

    [Fact]
    public async Task AFullListing_Reads999AppsAPage_AndTheirOwners15ToARequest()
    {
        // The demo tenant: 20 applications, one of them (Platform Shared Services) with 27 owners.
        await using var server = await SimulatorServer.StartAsync(DemoTenant.Create(TimeProvider.System));
        await using var services = TestDirectory.Build(server.BaseAddress);

        await TestDirectory.ToListAsync(services.GetRequiredService<ITenantDirectory>().GetApplicationsAsync());

        var stats = await TestDirectory.StatsAsync(server);
        // One page; one $batch carrying owners of 15 + 5 Apps; one $batch paging the 27 owners $expand cut at 20.
        Assert.Equal(3, stats["requests"]);
        Assert.Equal(1 + (1 + 2) + (1 + 1), stats["operations"]);
    }

    [Fact]
    public async Task ADeltaRound_ReadsTheChangedAppsWhole_15ToARequest()
    {
        var tenant = GeneratedTenant.Create(3_000, 0, seed: 3, TimeProvider.System);
        await using var server = await SimulatorServer.StartAsync(tenant);
        await using var services = TestDirectory.Build(server.BaseAddress);
        var directory = services.GetRequiredService<ITenantDirectory>();
        var link = await directory.GetLatestDeltaLinkAsync(AppKind.Application);
        var changed = tenant.Applications.Where((_, i) => i % 60 == 0).ToList();
        foreach (var app in changed)
        {
            tenant.Modify(app.Id, a => a.DisplayName += " (changed)");
        }

        var before = await TestDirectory.StatsAsync(server);
        var pages = await TestDirectory.ToListAsync(directory.GetChangesAsync(AppKind.Application, link));

        var read = pages.SelectMany(p => p.Changed).ToList();
        Assert.Equal(changed.Select(a => a.Id).Order(StringComparer.Ordinal), read.Select(a => a.ObjectId).Order(StringComparer.Ordinal));
        Assert.All(read, app =>
        {
            var source = tenant.Find(app.ObjectId)!;
            Assert.EndsWith("(changed)", app.DisplayName, StringComparison.Ordinal);
            Assert.Equal(source.OwnerIds.Order(StringComparer.Ordinal), app.Owners.Select(o => o.ObjectId).Order(StringComparer.Ordinal));
            Assert.Equal(source.PasswordCredentials.Count + source.KeyCredentials.Count, app.Credentials.Count);
        });
        var after = await TestDirectory.StatsAsync(server);
        var capped = changed.Count(a => a.OwnerIds.Count >= 20);
        // One delta page; 50 changed Apps in 4 "id in" requests, one $batch; the owners $expand cut at 20, paged in one more.
        Assert.Equal(1 + (1 + 4) + (capped > 0 ? 1 + capped : 0), after["operations"] - before["operations"]);
    }

    [Fact]
    public async Task AChangedApp_CarriesItsCurrentOwners_ThoughAnOwnerChangeAloneIsNoDeltaChange()
    {
        var tenant = DemoTenant.Create(TimeProvider.System);
        await using var server = await SimulatorServer.StartAsync(tenant);
        await using var services = TestDirectory.Build(server.BaseAddress);
        var directory = services.GetRequiredService<ITenantDirectory>();
        var link = await directory.GetLatestDeltaLinkAsync(AppKind.Application);

        tenant.ChangeOwners(DemoTenant.ObjectId(3), owners => owners.Add(DemoTenant.Alex));
        var ownersOnly = await TestDirectory.ToListAsync(directory.GetChangesAsync(AppKind.Application, link));
        tenant.Modify(DemoTenant.ObjectId(3), app => app.DisplayName = "HR Portal v2");
        var renamed = await TestDirectory.ToListAsync(directory.GetChangesAsync(AppKind.Application, link));

        Assert.Empty(ownersOnly.SelectMany(p => p.Changed));
        var hrPortal = Assert.Single(renamed.SelectMany(p => p.Changed));
        Assert.Equal([DemoTenant.Alex, DemoTenant.Megan], hrPortal.Owners.Select(o => o.ObjectId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheScan_SpendsOnlyItsShareOfResourceUnits_AndIsNeverThrottled()
    {
        var clock = new FakeClock();
        var tenant = GeneratedTenant.Create(1_000, 0, seed: 3, clock);
        // Graph's bucket here: 100 units per 10 s. The scan's share: 5 per second, 50 at most at once.
        await using var server = await SimulatorServer.StartAsync(tenant, new SimulatorOptions { Limits = new GraphLimits { ResourceUnits = 100 }, Time = clock });
        await using var services = TestDirectory.Build(server.BaseAddress, clock, ("Graph:ScanResourceUnitsPerSecond", "5"));

        var apps = await TestDirectory.WithClockRunningAsync(clock, () => TestDirectory.ToListAsync(services.GetRequiredService<ITenantDirectory>().GetApplicationsAsync()));

        Assert.Equal(1_000, apps.Count);
        var stats = await TestDirectory.StatsAsync(server);
        Assert.Equal(0, stats["throttled"]);
        // The scan prices its requests as Graph's published costs do: what it spent is what the Simulator metered.
        Assert.Equal(stats["resourceUnits"], services.GetRequiredService<ScanResourceBudget>().Spent);
        Assert.True(stats["resourceUnits"] > 100, "the scan needed more than Graph's bucket holds, so its pacing was what kept it unthrottled");
    }

    [Fact]
    public async Task WithoutItsShare_TheScanIsThrottled_AndRetriesStillReadEverything()
    {
        var clock = new FakeClock();
        var tenant = GeneratedTenant.Create(1_000, 0, seed: 3, clock);
        await using var server = await SimulatorServer.StartAsync(tenant, new SimulatorOptions { Limits = new GraphLimits { ResourceUnits = 100 }, Time = clock });
        await using var services = TestDirectory.Build(server.BaseAddress, clock, ("Graph:ScanResourceUnitsPerSecond", "0"));

        var apps = await TestDirectory.WithClockRunningAsync(clock, () => TestDirectory.ToListAsync(services.GetRequiredService<ITenantDirectory>().GetApplicationsAsync()));

        Assert.Equal(tenant.Applications.Select(a => a.Id).Order(StringComparer.Ordinal), apps.Select(a => a.ObjectId).Order(StringComparer.Ordinal));
        Assert.True((await TestDirectory.StatsAsync(server))["throttled"] > 0);
    }
}
