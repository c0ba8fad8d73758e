using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Scanning;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Issue 18.1: a person rotating a secret never waits behind the scan. The attack: the scan runs a delta round from a
/// link stored before it stopped selecting keyCredentials, so every delta page is a request under Graph's
/// keyCredentials cap (metered by the Simulator); it fills the background share of the cap and its next page waits.
/// Then "Rotate now" is submitted. The clock is fake and does not move while it runs, so the cap's window cannot slide:
/// the rotation can answer only if it needs no capped request at all, and "promptly" means "before the scan's queued
/// page", not a number of milliseconds (the bench's <c>p5</c> measures those).
/// </summary>
public sealed class RotatingWhileAScanFillsTheCap : IAsyncLifetime
{
    private const int Cap = 5;
    private const int Reserve = 2;
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private readonly BotHost _bot = new BotHost()
        .WithGraphLimits(new GraphLimits { KeyCredentialRequests = Cap, KeyCredentialWindow = TimeSpan.FromMinutes(1) })
        .With("Graph:KeyCredentialRequests", Cap.ToString(CultureInfo.InvariantCulture))
        .With("Graph:KeyCredentialInteractiveReserve", Reserve.ToString(CultureInfo.InvariantCulture))
        .With("Graph:ScanResourceUnitsPerSecond", "0");

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task ARotation_ShowsTheSecret_AndStoresAddPasswordsAnswer_WhileTheScansNextPageWaitsForTheCap()
    {
        // The scan's share of the cap (Cap - Reserve) in delta pages of 100, and one page more.
        await StoreLegacyApplicationsDeltaLinkAsync();
        var before = await KeyCredentialRequestsAsync();
        var oldKeys = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId).ToList();
        AddApplications(100 * (Cap - Reserve) + 50);
        var scan = Task.Run(async () =>
        {
            await using var scope = _bot.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None);
        });
        await WhenAsync(async () => await KeyCredentialRequestsAsync() == before + Cap - Reserve, scan);

        // Renamed in the tenant now: a rotation that read the App back would store the new name.
        _bot.Tenant.Modify(Payroll, a => a.DisplayName = "Payroll API (renamed in Entra)");
        var form = await OpenRotateDialogAsync();
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "90"), ("grace", "7")), BotHost.Alex, "Alex Wilber");

        var secret = InputValue(DialogCard(answer), "secretValue");
        Assert.False(string.IsNullOrEmpty(secret));
        var added = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single(c => !oldKeys.Contains(c.KeyId));
        Assert.Equal(added.Hint, secret![..3]);

        // The scan is still queued at the cap, and the rotation took nothing from it.
        Assert.False(scan.IsCompleted);
        Assert.Equal(before + Cap - Reserve, await KeyCredentialRequestsAsync());

        // The snapshot has the new secret from addPassword's answer, not from a second read of the App.
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var stored = (await scope.ServiceProvider.GetRequiredService<AppCatalog>().GetAsync(Payroll))!;
            Assert.Contains(stored.Credentials, c => c.KeyId == added.KeyId);
            Assert.Equal("Payroll API", stored.DisplayName);
        }

        // Once the window slides the scan's page goes, and the whole run stayed under Graph's limits.
        _bot.Time.Advance(TimeSpan.FromMinutes(2));
        var result = await scan.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(ScanMode.Delta, result.ApplicationsMode);
        Assert.Equal(0, (await StatsAsync())["throttled"]);
    }

    private async Task StoreLegacyApplicationsDeltaLinkAsync()
    {
        using var http = new HttpClient { BaseAddress = _bot.Simulator.BaseAddress };
        var page = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>(new Uri("applications/delta?$select=id,appId,displayName,tags,passwordCredentials,keyCredentials&$deltatoken=latest", UriKind.Relative));
        await using var scope = _bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DeltaTokenStore>().SetAsync("Application", page!["@odata.deltaLink"].GetString());
    }

    private void AddApplications(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _bot.Tenant.Add(new SimObject
            {
                Id = Guid.NewGuid().ToString(),
                AppId = Guid.NewGuid().ToString(),
                DisplayName = $"Added during the scan {i}",
                Kind = SimObjectKind.Application,
                CreatedDateTime = _bot.Time.GetUtcNow(),
            });
        }
    }

    private async Task<JsonElement> OpenRotateDialogAsync()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("status Payroll API", BotHost.Alex, "Alex Wilber");
        var status = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        var (_, answer) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(status, "Rotate now"), ["context"] = new JsonObject { ["theme"] = "default" } }, BotHost.Alex, "Alex Wilber");
        return DialogCard(answer);
    }

    private async Task<long> KeyCredentialRequestsAsync() => (await StatsAsync())["keyCredentialRequests"];

    private async Task<Dictionary<string, long>> StatsAsync()
    {
        using var http = new HttpClient { BaseAddress = _bot.Simulator.BaseAddress };
        return (await http.GetFromJsonAsync<Dictionary<string, long>>(new Uri("/_simulator/stats", UriKind.Relative)))!;
    }

    private static async Task WhenAsync(Func<Task<bool>> condition, Task scan)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            Assert.False(scan.IsCompleted, "the scan finished without filling its share of the cap");
            Assert.True(DateTime.UtcNow < deadline, "the scan never filled its share of the cap");
            await Task.Delay(20);
        }
    }
}
