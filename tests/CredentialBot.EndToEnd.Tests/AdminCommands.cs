using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>Admin commands: only admins get answers; everyone else is refused politely, and it is audited.</summary>
public sealed class AdminCommands : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost().With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup);

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task Compliance_GivesAnAdminTheDemoTenantsSummary()
    {
        var text = AllText(await AskAsync("compliance", BotHost.Megan, "Megan Bowen"));

        Assert.Contains("25 (20 app registrations, 5 enterprise applications)", text, StringComparison.Ordinal);
        Assert.Contains("Expired\n3", text, StringComparison.Ordinal);
        Assert.Contains("Expiring within 7 days\n4", text, StringComparison.Ordinal);
        Assert.Contains("Expiring within 30 days (incl. 7 days)\n13", text, StringComparison.Ordinal);
        Assert.Contains("Credential expired\n3", text, StringComparison.Ordinal);
        Assert.Contains("Travel Booking", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compliance_ShowsTheChangeSinceThePreviousScan()
    {
        await using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(_bot.Services))
        {
            var report = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CredentialBot.Admin.Compliance.ComplianceReport>(scope.ServiceProvider);
            await report.SnapshotAsync(CancellationToken.None);
            _bot.Time.Advance(TimeSpan.FromDays(4));
            await report.SnapshotAsync(CancellationToken.None);
        }

        var text = AllText(await AskAsync("compliance", BotHost.Megan, "Megan Bowen"));

        Assert.Contains("since the previous scan", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanNow_PostsOneCard_ThatUpdatesItselfWithTheResult()
    {
        var started = AllText(await AskAsync("scan now", BotHost.Megan, "Megan Bowen"));
        Assert.Contains("Scanning the tenant", started, StringComparison.Ordinal);

        // The clock follows real time meanwhile: every request to the Connector, the reply included, waits for its paced slot.
        var finished = await _bot.Time.RunAsync(() => Eventually.WaitAsync(() => _bot.Connector.Calls.FirstOrDefault(c => c.Method == "PUT" && AllText(c.Body).Contains("Scan finished", StringComparison.Ordinal))));

        Assert.Equal($"a:personal-{BotHost.Megan}", finished.ConversationId);
        Assert.Contains("0 app registrations and 0 enterprise applications since the last scan", AllText(finished.Body), StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "ScanNow", Outcome: "Started", ActorObjectId: BotHost.Megan });
    }

    [Fact]
    public async Task Policies_AreListed_Shown_AndEditedWithEveryRefusalExplained()
    {
        Assert.Contains("Default app registrations", AllText(await AskAsync("policies", BotHost.Megan, "Megan Bowen")), StringComparison.Ordinal);
        var shown = await AskAsync("policy Default app registrations", BotHost.Megan, "Megan Bowen");
        Assert.Contains("30 days, 14 days, 7 days, 1 day and expired", AllText(shown), StringComparison.Ordinal);

        var (_, opened) = await _bot.InvokeAsync("task/fetch", new System.Text.Json.Nodes.JsonObject { ["data"] = ButtonData(shown, "Edit") }, BotHost.Megan, "Megan Bowen");
        var form = DialogCard(opened);
        var (_, refused) = await _bot.InvokeAsync("task/submit", Submit(form, "Save policy", ("stages", "120,14"), ("minTechnical", "x")), BotHost.Megan, "Megan Bowen");
        var problems = AllText(DialogCard(refused));
        var (_, saved) = await _bot.InvokeAsync("task/submit", Submit(form, "Save policy", ("stages", "45,14,7,1"), ("maxElevationHours", "4")), BotHost.Megan, "Megan Bowen");

        Assert.Contains("The first expiry stage is 120 days; it must be between 7 and 90 days.", problems, StringComparison.Ordinal);
        Assert.Contains("The minimum of technical owners must be a whole number.", problems, StringComparison.Ordinal);
        Assert.Contains("Saved by Megan Bowen", AllText(DialogCard(saved)), StringComparison.Ordinal);
        Assert.Contains("45 days, 14 days, 7 days, 1 day", AllText(DialogCard(saved)), StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Contains(audit, e => e is { Operation: "EditPolicy", Outcome: "Refused" });
        Assert.Contains(audit, e => e is { Operation: "EditPolicy", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task HandsFreeRotation_IsTurnedOnInThePolicyEditor_CheckedAgainstTheStages_AndAudited()
    {
        var shown = await AskAsync("policy Default app registrations", BotHost.Megan, "Megan Bowen");
        Assert.Contains("Automatic rotation", AllText(shown), StringComparison.Ordinal);
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new System.Text.Json.Nodes.JsonObject { ["data"] = ButtonData(shown, "Edit") }, BotHost.Megan, "Megan Bowen");
        var form = DialogCard(opened);

        var (_, refused) = await _bot.InvokeAsync("task/submit", Submit(form, "Save policy", ("autoRotateDays", "45"), ("autoRotateUseDays", "50")), BotHost.Megan, "Megan Bowen");
        var problems = AllText(DialogCard(refused));
        Assert.Contains("Automatic rotation 45 days before expiry is outside the policy's stages; it must be between 1 and 30 days (the first stage).", problems, StringComparison.Ordinal);
        Assert.Contains("use window is 50 days", problems, StringComparison.Ordinal);

        var (_, saved) = await _bot.InvokeAsync("task/submit", Submit(form, "Save policy", ("autoRotateDays", "14"), ("autoRotateUseDays", "5")), BotHost.Megan, "Megan Bowen");
        Assert.Contains("secrets and Key Vault-made certificates into the app's Key Vault 14 days before expiry; the new credential must be used within 5 days", AllText(DialogCard(saved)), StringComparison.Ordinal);
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var stored = (await scope.ServiceProvider.GetRequiredService<Store.Services.PolicyStore>().ListAsync()).Single(p => p.Name == "Default app registrations");
            Assert.Equal(new Domain.AutomaticRotation(14, 5), stored.AutomaticRotation);
        }

        var audit = await _bot.AuditAsync();
        Assert.Contains(audit, e => e is { Operation: "EditPolicy", Outcome: "Refused", ActorObjectId: BotHost.Megan } && e.Reason!.Contains("outside the policy's stages", StringComparison.Ordinal));
        Assert.Contains(audit, e => e is { Operation: "EditPolicy", Outcome: "Succeeded", ActorObjectId: BotHost.Megan } && e.Reason!.Contains("automatic rotation secrets and Key Vault-made certificates into the app's Key Vault 14 days before expiry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAdmin_CannotEditAPolicy_EvenWithTheDialogData()
    {
        var data = new System.Text.Json.Nodes.JsonObject { ["dialog"] = "policy", ["app"] = "policies", ["subject"] = "Default app registrations", ["stages"] = "7" };

        var (_, answer) = await _bot.InvokeAsync("task/submit", new System.Text.Json.Nodes.JsonObject { ["data"] = data }, BotHost.Alex, "Alex Wilber");

        Assert.Contains("Only CredentialBot admins can edit policies", DialogMessage(answer), StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "EditPolicy", Outcome: "Refused", ActorObjectId: BotHost.Alex });
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAdmin_IsRefusedPolitely_AndItIsAudited()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("compliance");
        var reply = (await _bot.Connector.WaitForCallsAsync(before + 1))[before];

        Assert.Contains("is for CredentialBot admins", reply.Text, StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "Admin:compliance", Outcome: "Refused", ActorObjectId: BotHost.Alex });
    }

    private async Task<System.Text.Json.JsonElement> AskAsync(string text, string user, string name)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(text, user, name);
        return (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
    }
}
