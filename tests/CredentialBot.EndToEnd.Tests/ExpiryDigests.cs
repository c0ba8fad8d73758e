using System.Text.Json;
using CredentialBot.Digests;
using CredentialBot.Scanning;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// A scan of the demo tenant tells each accountable person once, in one digest card in their personal chat;
/// a second scan tells nobody again; someone who installs later gets what waited for them.
/// </summary>
public sealed class ExpiryDigests : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.ScanAndSeedAsync();
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AScan_SendsAlexOneDigest_WithTheCredentialsHeIsAccountableFor()
    {
        await _bot.InstallAsync();
        await ScanAsync();
        await DispatchAsync();

        var calls = await _bot.Connector.WaitForCallsAsync(2);
        Assert.All(calls, c => Assert.Equal($"a:personal-{BotHost.Alex}", c.ConversationId));
        var digest = CardText(Assert.Single(calls[1].Cards));
        Assert.Contains("need you", digest, StringComparison.Ordinal);
        foreach (var app in new[] { "Payroll API", "HR Portal", "Build Pipeline", "Payroll API (Staging)" })
        {
            Assert.Contains(app, digest, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Contoso Expenses", digest, StringComparison.Ordinal);
        Assert.True(digest.IndexOf("Build Pipeline", StringComparison.Ordinal) < digest.IndexOf("Payroll API (Staging)", StringComparison.Ordinal), "1 day left comes before 29");
    }

    [Fact]
    public async Task ASecondScan_SendsNothingNew()
    {
        await _bot.InstallAsync();
        await ScanAsync();
        await DispatchAsync();
        await _bot.Connector.WaitForCallsAsync(2);

        await ScanAsync();
        var sent = await DispatchAsync();

        Assert.Equal(0, sent);
        Assert.Equal(2, _bot.Connector.Calls.Count);
    }

    [Fact]
    public async Task SomeoneWhoInstallsLater_GetsTheDigestThatWaitedForThem()
    {
        await ScanAsync();
        Assert.Equal(0, await DispatchAsync());

        await _bot.InstallAsync(DemoTenant.Patti, "Patti Fernandez");
        await DispatchAsync();

        var calls = await _bot.Connector.WaitForCallsAsync(2);
        var digest = CardText(Assert.Single(calls[1].Cards));
        Assert.Contains("Contoso Expenses", digest, StringComparison.Ordinal);
        Assert.Contains("business owner", digest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SnoozingAnApp_RedrawsTheDigest_IsAudited_AndSilencesItsNextStage()
    {
        var snooze = await AlexsSnoozeButtonAsync("Payroll API");

        var response = await PressAsync(snooze, BotHost.Alex, "Alex Wilber");

        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        Assert.Contains("Snoozed by Alex Wilber until", response.GetProperty("value").GetRawText(), StringComparison.Ordinal);
        // Every App of the digest is redrawn, in the digest's order: the snoozed one as the Snooze read it, the others read
        // for the redraw.
        var sent = AppHeadings(Assert.Single(_bot.Connector.Calls[1].Cards));
        Assert.Equal(4, sent.Count);
        Assert.Equal(sent, AppHeadings(response.GetProperty("value")));
        Assert.Contains(await AuditAsync(), e => e is { Operation: "SnoozeNotices", Outcome: "Succeeded", ActorObjectId: BotHost.Alex });

        _bot.Time.Advance(TimeSpan.FromDays(3));
        await ScanAsync();
        await DispatchAsync();
        var later = _bot.Connector.Calls.Skip(2).SelectMany(c => c.Cards).Select(CardText).ToList();
        Assert.DoesNotContain(later, text => text.Contains("prod-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AcknowledgingAnApp_SilencesItsStagesUntilExpiry_AndIsAudited()
    {
        await _bot.InstallAsync();
        await ScanAsync();
        await DispatchAsync();
        var digest = Assert.Single((await _bot.Connector.WaitForCallsAsync(2))[1].Cards);
        var acknowledge = CardReading.ButtonData(digest, "Acknowledge");

        var response = await _bot.ExecuteAsync("acknowledge", acknowledge, BotHost.Alex, "Alex Wilber");

        Assert.Contains("Acknowledged by Alex Wilber: no more notices until it expires", CardReading.AllText(response.GetProperty("value")), StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(), e => e is { Operation: "AcknowledgeNotices", Outcome: "Succeeded", ActorObjectId: BotHost.Alex });
    }

    [Fact]
    public async Task AnExpiredCredential_CannotBeAcknowledged_EvenWithForgedButtonData()
    {
        await _bot.InstallAsync();
        var expired = _bot.Tenant.Find(DemoTenant.ObjectId(2))!.PasswordCredentials.Single().KeyId;
        var forged = new System.Text.Json.Nodes.JsonObject
        {
            ["app"] = DemoTenant.ObjectId(2),
            ["keys"] = new System.Text.Json.Nodes.JsonArray(expired),
            ["days"] = 0,
            ["digest"] = new System.Text.Json.Nodes.JsonArray(DemoTenant.ObjectId(2)),
        };

        var response = await _bot.ExecuteAsync("acknowledge", forged, BotHost.Alex, "Alex Wilber");

        Assert.Contains("An expired credential cannot be acknowledged", response.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(), e => e is { Operation: "AcknowledgeNotices", Outcome: "Refused" });
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnOwner_CannotSnooze_AndTheRefusalIsAudited()
    {
        var snooze = await AlexsSnoozeButtonAsync("Payroll API");

        var response = await PressAsync(snooze, DemoTenant.Adele, "Adele Vance");

        Assert.Contains("Only the owners", response.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(), e => e is { Operation: "SnoozeNotices", Outcome: "Refused", ActorObjectId: DemoTenant.Adele });
    }

    [Fact]
    public async Task AnotherAppsCredentialSwappedIntoTheCard_IsRefused()
    {
        var snooze = (System.Text.Json.Nodes.JsonObject)(await AlexsSnoozeButtonAsync("Payroll API"))!;
        var otherKey = _bot.Tenant.Find(DemoTenant.ObjectId(5))!.PasswordCredentials[0].KeyId;
        snooze["keys"] = new System.Text.Json.Nodes.JsonArray(otherKey);

        var response = await PressAsync(snooze, BotHost.Alex, "Alex Wilber");

        Assert.Contains("not this app's", response.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Contains(await AuditAsync(), e => e is { Operation: "SnoozeNotices", Outcome: "Refused" });
    }

    [Fact]
    public async Task ASnoozeWithMalformedData_IsRefusedBeforeAnyHandlerRuns_AndTheRefusalIsAudited()
    {
        var snooze = (System.Text.Json.Nodes.JsonObject)(await AlexsSnoozeButtonAsync("Payroll API"))!;
        snooze["keys"] = "every-key";

        var response = await PressAsync(snooze, BotHost.Alex, "Alex Wilber");

        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
        Assert.Contains(await AuditAsync(), e => e is { Operation: "SnoozeNotices", Outcome: "Refused", ActorObjectId: BotHost.Alex } && e.Reason!.StartsWith("Malformed", StringComparison.Ordinal));
        Assert.DoesNotContain(await AuditAsync(), e => e is { Operation: "SnoozeNotices", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task ASnoozeFromSomeoneTeamsDidNotIdentify_Is401_AndPausesNothing()
    {
        var snooze = await AlexsSnoozeButtonAsync("Payroll API");
        var invoke = _bot.Activity("invoke", BotHost.Alex, "Alex Wilber", $"a:personal-{BotHost.Alex}", extra: a =>
        {
            ((System.Text.Json.Nodes.JsonObject)a["from"]!).Remove("aadObjectId");
            a["name"] = "adaptiveCard/action";
            a["value"] = new System.Text.Json.Nodes.JsonObject
            {
                ["action"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "Action.Execute", ["verb"] = "snooze", ["data"] = snooze.DeepClone() },
                ["trigger"] = "manual",
            };
        });

        var response = JsonDocument.Parse(await (await _bot.PostAsync(invoke)).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(401, response.GetProperty("statusCode").GetInt32());
        Assert.DoesNotContain(await AuditAsync(), e => e.Operation == "SnoozeNotices");
        await using var scope = _bot.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<CredentialBot.Store.CredentialBotDbContext>().CredentialSnoozes.CountAsync());
    }

    private async Task<System.Text.Json.Nodes.JsonNode> AlexsSnoozeButtonAsync(string appName)
    {
        await _bot.InstallAsync();
        await ScanAsync();
        await DispatchAsync();
        var digest = Assert.Single((await _bot.Connector.WaitForCallsAsync(2))[1].Cards);
        var body = digest.GetProperty("body").EnumerateArray().ToList();
        var heading = body.FindIndex(e => e.TryGetProperty("text", out var t) && t.GetString() == appName);
        var actions = body.Skip(heading).First(e => e.GetProperty("type").GetString() == "ActionSet").GetProperty("actions");
        var button = actions.EnumerateArray().Single(a => a.GetProperty("type").GetString() == "Action.Execute" && a.GetProperty("title").GetString() == "Snooze 7 days");
        return System.Text.Json.Nodes.JsonNode.Parse(button.GetProperty("data").GetRawText())!;
    }

    private async Task<JsonElement> PressAsync(System.Text.Json.Nodes.JsonNode data, string userObjectId, string userName)
    {
        var invoke = _bot.Activity("invoke", userObjectId, userName, $"a:personal-{userObjectId}", extra: a =>
        {
            a["name"] = "adaptiveCard/action";
            a["value"] = new System.Text.Json.Nodes.JsonObject
            {
                ["action"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "Action.Execute", ["verb"] = "snooze", ["data"] = data.DeepClone() },
                ["trigger"] = "manual",
            };
        });
        var response = await _bot.PostAsync(invoke);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<IReadOnlyList<CredentialBot.Domain.AuditEvent>> AuditAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBot.Store.CredentialBotDbContext>();
        return [.. db.AuditEvents.Select(e => new CredentialBot.Domain.AuditEvent(e.ActorObjectId, e.ActorName, e.AppObjectId, e.Operation, e.Outcome, e.Reason, e.Ticket, e.At))];
    }

    private async Task ScanAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None);
    }

    private async Task<int> DispatchAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await _bot.Time.RunAsync(() => scope.ServiceProvider.GetRequiredService<DigestDispatcher>().RunOnceAsync(CancellationToken.None));
    }

    private static string CardText(JsonElement card) => card.GetRawText();

    /// <summary>The headings of Alex's Apps in a digest card, in the card's order.</summary>
    private static List<string> AppHeadings(JsonElement card)
    {
        string[] alexs = ["Payroll API", "HR Portal", "Build Pipeline", "Payroll API (Staging)"];
        return [.. card.GetProperty("body").EnumerateArray()
            .Select(e => e.TryGetProperty("text", out var text) ? text.GetString() : null)
            .OfType<string>().Where(alexs.Contains)];
    }
}
