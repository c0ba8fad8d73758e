using System.Net.Http.Json;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using FakeClock = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace CredentialBot.Directory.Tests;

/// <summary>
/// A person waiting never queues behind the scan's use of the keyCredentials cap. The attack: a delta round from a link
/// saved before the scan stopped selecting keyCredentials (so every one of its pages is a capped request) runs until
/// background work has filled its share of the cap and its next page waits; then a person's requests arrive. The clock
/// is fake and does not move until they are done, so "promptly" here means "before the scan's queued request", not a
/// number of milliseconds (benchmark (b) measures those).
/// </summary>
public sealed class InteractiveWorkDuringAScan : IAsyncLifetime
{
    private const int Cap = 10;
    private const int Reserve = 3;
    private readonly FakeClock _clock = new();
    private SimulatorTenant _tenant = null!;
    private SimulatorServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _tenant = GeneratedTenant.Create(1_000, 0, seed: 3, _clock);
        var limits = new GraphLimits { KeyCredentialRequests = Cap, KeyCredentialWindow = TimeSpan.FromMinutes(1) };
        _server = await SimulatorServer.StartAsync(_tenant, new SimulatorOptions { Limits = limits, Time = _clock });
        _services = TestDirectory.Build(
            _server.BaseAddress,
            _clock,
            ("Graph:KeyCredentialRequests", Cap.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Graph:KeyCredentialInteractiveReserve", Reserve.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Graph:ScanResourceUnitsPerSecond", "0"));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ReadsAndRotations_GoAheadOfTheScansQueuedRequest_AndNothingIsThrottled()
    {
        var budget = _services.GetRequiredService<KeyCredentialBudget>();
        var directory = _services.GetRequiredService<ITenantDirectory>();
        var administration = _services.GetRequiredService<ITenantAdministration>();
        var graph = _services.GetRequiredService<GraphServiceClient>();
        var legacyLink = await LegacyDeltaLinkAsync();
        foreach (var app in _tenant.Applications)
        {
            _tenant.Modify(app.Id, a => a.DisplayName += " (changed)");
        }

        // 1,000 changes make ten delta pages, each selecting keyCredentials: seven fill the scan's share, the eighth waits.
        var scan = TestDirectory.ToListAsync(directory.GetChangesAsync(AppKind.Application, legacyLink));
        await WhenAsync(() => budget.WaitingBackground == 1);
        Assert.Equal(Cap - Reserve, budget.AdmittedBackground);

        var someApp = _tenant.Applications[42].Id;
        var withKeys = await graph.Applications[someApp].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials"]).WaitAsync(TimeSpan.FromMinutes(1));
        var read = await administration.GetAppAsync(AppKind.Application, someApp).WaitAsync(TimeSpan.FromMinutes(1));
        var secret = await administration.AddSecretAsync(AppKind.Application, someApp, "rotated during a scan", _clock.GetUtcNow().AddDays(30)).WaitAsync(TimeSpan.FromMinutes(1));

        // The scan's next page is still queued: the person's requests went first, and only the one that asked for
        // certificate keys used the cap at all.
        Assert.Equal(1, budget.WaitingBackground);
        Assert.Equal(1, budget.AdmittedInteractive);
        Assert.Equal(someApp, withKeys?.Id);
        Assert.Equal(someApp, read?.ObjectId);
        Assert.Contains(secret.Credential, secret.AddedTo(read!).Credentials);
        Assert.False(scan.IsCompleted);

        var pages = await TestDirectory.WithClockRunningAsync(_clock, () => scan);
        Assert.Equal(1_000, pages.SelectMany(p => p.Changed).Select(a => a.ObjectId).Distinct().Count());
        Assert.Equal(0, (await TestDirectory.StatsAsync(_server))["throttled"]);
    }

    [Fact]
    public async Task ACertificateAdded_WhileTheScanWaitsForTheCap_ReadsTheKeysFromTheInteractiveReserve()
    {
        var budget = _services.GetRequiredService<KeyCredentialBudget>();
        var administration = _services.GetRequiredService<ITenantAdministration>();
        var legacyLink = await LegacyDeltaLinkAsync();
        foreach (var app in _tenant.Applications)
        {
            _tenant.Modify(app.Id, a => a.DisplayName += " (changed)");
        }

        var scan = TestDirectory.ToListAsync(_services.GetRequiredService<ITenantDirectory>().GetChangesAsync(AppKind.Application, legacyLink));
        await WhenAsync(() => budget.WaitingBackground == 1);

        var someApp = _tenant.Applications[7].Id;
        var added = await administration.AddCertificateAsync(AppKind.Application, someApp, SampleCertificates.Public("CN=during-a-scan"), null).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(added.Value is not null, added.Refusal?.Reason);
        Assert.Contains(_tenant.Find(someApp)!.KeyCredentials, k => k.KeyId == added.Value.KeyId);
        Assert.Equal((1L, 1), (budget.AdmittedInteractive, budget.WaitingBackground));
        Assert.False(scan.IsCompleted);

        await TestDirectory.WithClockRunningAsync(_clock, () => scan);
        Assert.Equal(0, (await TestDirectory.StatsAsync(_server))["throttled"]);
    }

    /// <summary>A delta link as the scan stored them before it stopped selecting keyCredentials.</summary>
    private async Task<string> LegacyDeltaLinkAsync()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var page = await http.GetFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>(new Uri("applications/delta?$select=id,appId,displayName,tags,passwordCredentials,keyCredentials&$deltatoken=latest", UriKind.Relative));
        return page!["@odata.deltaLink"].GetString()!;
    }

    private static async Task WhenAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the scan never filled its share of the cap");
            await Task.Delay(10);
        }
    }
}
