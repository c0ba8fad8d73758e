using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Global admins manage admin scopes from Teams (issue 14.1): <c>scopes</c> lists those from settings (read-only) and
/// those made here; the dialog adds, edits and removes the latter, naming each bad selector; each save is one-shot and
/// audited; and a scope made here makes its people scoped admins at once.
/// </summary>
public sealed class ManagingScopes : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost()
        .With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup)
        .With("AdminScopes:Scopes:0:Name", "Payroll")
        .With("AdminScopes:Scopes:0:People:0", BotHost.Alex)
        .With("AdminScopes:Scopes:0:Apps:0", "name:Payroll*");

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.ScanAndSeedAsync();
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AGlobalAdmin_AddsAScope_WithEveryBadPartNamed_AndItsPersonBecomesAScopedAdmin()
    {
        var list = await AskAsync("scopes");
        Assert.Contains("Payroll", AllText(list), StringComparison.Ordinal);
        Assert.Contains("Settings (read-only here)", AllText(list), StringComparison.Ordinal);
        var form = DialogCard((await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(list, "Add a scope") }, BotHost.Megan, "Megan Bowen")).Body);

        var (_, refused) = await _bot.InvokeAsync("task/submit", Submit(form, "Save scope", ("name", "Payroll"), ("people", "bad id"), ("apps", "travel\nkind:Robot\ntag:")), BotHost.Megan, "Megan Bowen");
        var problems = AllText(DialogCard(refused));
        Assert.Contains("App selector \"travel\": \"travel\" is not an app selector", problems, StringComparison.Ordinal);
        Assert.Contains("App selector \"kind:Robot\": \"Robot\" is not an app kind", problems, StringComparison.Ordinal);
        Assert.Contains("App selector \"tag:\": An app selector's value must be 1 to 200 printable characters.", problems, StringComparison.Ordinal);
        Assert.Contains("\"bad id\" is not a person object id.", problems, StringComparison.Ordinal);

        var (_, nameTaken) = await _bot.InvokeAsync("task/submit", Submit(form, "Save scope", ("name", "payroll"), ("people", DemoTenant.Patti), ("apps", "name:Travel*")), BotHost.Megan, "Megan Bowen");
        Assert.Contains("\"payroll\" is the name of a scope in settings", AllText(DialogCard(nameTaken)), StringComparison.Ordinal);

        var valid = Submit(form, "Save scope", ("name", "Travel"), ("people", DemoTenant.Patti), ("apps", "name:Travel*, tag:travel"));
        var (_, saved) = await _bot.InvokeAsync("task/submit", valid, BotHost.Megan, "Megan Bowen");
        var (_, again) = await _bot.InvokeAsync("task/submit", valid, BotHost.Megan, "Megan Bowen");

        Assert.Contains("Saved by Megan Bowen", AllText(DialogCard(saved)), StringComparison.Ordinal);
        Assert.Contains("A scope named \"Travel\" already exists", AllText(DialogCard(again)), StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Single(audit, e => e is { Operation: "EditAdminScope", Outcome: "Succeeded", ActorObjectId: BotHost.Megan } && e.Reason!.StartsWith("Added scope Travel: people " + DemoTenant.Patti + "; groups none; apps name:Travel*, tag:travel", StringComparison.Ordinal));
        Assert.Equal(3, audit.Count(e => e is { Operation: "EditAdminScope", Outcome: "Refused", ActorObjectId: BotHost.Megan }));

        var patti = AllText(await AskAsync("compliance", DemoTenant.Patti, "Patti Fernandez"));
        Assert.Contains("**Your scope**: Travel (name:Travel\\*, tag:travel).", patti, StringComparison.Ordinal);
        Assert.Contains("Travel Booking", patti, StringComparison.Ordinal);
        Assert.Contains("Travel", AllText(await AskAsync("scopes")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGlobalAdmin_EditsAndRemovesAScopeMadeInTeams_EachOnceAndAudited()
    {
        await AddAsync("Travel", DemoTenant.Patti, "name:Travel*");
        var shown = await AskAsync("scopes Travel");
        var edit = DialogCard((await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(shown, "Edit") }, BotHost.Megan, "Megan Bowen")).Body);
        Assert.Equal("name:Travel*", InputValue(edit, "apps"));

        var (_, saved) = await _bot.InvokeAsync("task/submit", Submit(edit, "Save scope", ("name", "Trips"), ("apps", "name:Onboarding*")), BotHost.Megan, "Megan Bowen");
        Assert.Contains("Admin scope Trips", AllText(DialogCard(saved)), StringComparison.Ordinal);
        Assert.Contains("Onboarding Workflow", AllText(await AskAsync("compliance", DemoTenant.Patti, "Patti Fernandez")), StringComparison.Ordinal);

        var remove = DialogCard((await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(DialogCard(saved), "Remove") }, BotHost.Megan, "Megan Bowen")).Body);
        var (_, removed) = await _bot.InvokeAsync("task/submit", Submit(remove, "Remove scope"), BotHost.Megan, "Megan Bowen");
        var (_, twice) = await _bot.InvokeAsync("task/submit", Submit(remove, "Remove scope"), BotHost.Megan, "Megan Bowen");

        Assert.Equal("Admin scope Trips was removed.", DialogMessage(removed));
        Assert.DoesNotContain("was removed", DialogMessage(twice), StringComparison.Ordinal);
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("compliance", DemoTenant.Patti, "Patti Fernandez");
        Assert.Contains("is for CredentialBot admins", (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Text, StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Contains(audit, e => e is { Operation: "EditAdminScope", Outcome: "Succeeded", Reason: var r } && r!.StartsWith("Changed (was Travel) scope Trips", StringComparison.Ordinal));
        Assert.Single(audit, e => e is { Operation: "EditAdminScope", Outcome: "Succeeded", Reason: "Removed scope Trips" });
    }

    [Fact]
    public async Task AScopeFromSettings_IsShownReadOnly_AndAForgedEditOrRemovalOfItIsRefused()
    {
        var shown = await AskAsync("scopes Payroll");
        Assert.False(HasButton(shown, "Edit") || HasButton(shown, "Remove"));
        Assert.Contains("change it in AdminScopes:Scopes", AllText(shown), StringComparison.Ordinal);

        var edit = new JsonObject { ["dialog"] = "scope", ["app"] = "scopes", ["subject"] = "Payroll", ["name"] = "Payroll", ["people"] = BotHost.Megan, ["apps"] = "kind:Application", ["confirm"] = "c1" };
        var remove = new JsonObject { ["dialog"] = "scope", ["app"] = "scopes", ["subject"] = "Payroll", ["mode"] = "remove", ["confirm"] = "c2" };
        var (_, edited) = await _bot.InvokeAsync("task/submit", new JsonObject { ["data"] = edit }, BotHost.Megan, "Megan Bowen");
        var (_, removed) = await _bot.InvokeAsync("task/submit", new JsonObject { ["data"] = remove }, BotHost.Megan, "Megan Bowen");

        Assert.Contains("comes from settings (AdminScopes:Scopes); change it there. Nothing was changed.", DialogMessage(edited), StringComparison.Ordinal);
        Assert.Contains("comes from settings (AdminScopes:Scopes); change it there. Nothing was changed.", DialogMessage(removed), StringComparison.Ordinal);
        Assert.Equal(2, (await _bot.AuditAsync()).Count(e => e is { Operation: "EditAdminScope", Outcome: "Refused" }));
        await using var scope = _bot.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<AdminScopeStore>().ListAsync());
    }

    [Fact]
    public async Task TenAdminsAddingTheSameScopeAtOnce_MakeExactlyOne_WithOneAuditedSave()
    {
        var list = await AskAsync("scopes");
        var forms = new List<JsonElement>();
        for (var i = 0; i < 10; i++)
        {
            forms.Add(DialogCard((await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(list, "Add a scope") }, BotHost.Megan, "Megan Bowen")).Body));
        }

        var answers = await Task.WhenAll(forms.Select(f => _bot.InvokeAsync("task/submit", Submit(f, "Save scope", ("name", "Travel"), ("people", DemoTenant.Patti), ("apps", "name:Travel*")), BotHost.Megan, "Megan Bowen")));

        Assert.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.OK, a.Status));
        Assert.Single(answers, a => AllText(a.Body).Contains("Saved by Megan Bowen", StringComparison.Ordinal));
        await using var scope = _bot.Services.CreateAsyncScope();
        Assert.Single(await scope.ServiceProvider.GetRequiredService<AdminScopeStore>().ListAsync());
        var audit = await _bot.AuditAsync();
        Assert.Single(audit, e => e is { Operation: "EditAdminScope", Outcome: "Succeeded" });
        Assert.Equal(9, audit.Count(e => e is { Operation: "EditAdminScope", Outcome: "Refused" }));
    }

    private async Task AddAsync(string name, string person, string apps)
    {
        var list = await AskAsync("scopes");
        var form = DialogCard((await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(list, "Add a scope") }, BotHost.Megan, "Megan Bowen")).Body);
        var (_, saved) = await _bot.InvokeAsync("task/submit", Submit(form, "Save scope", ("name", name), ("people", person), ("apps", apps)), BotHost.Megan, "Megan Bowen");
        Assert.Contains("Saved by Megan Bowen", AllText(DialogCard(saved)), StringComparison.Ordinal);
    }

    private async Task<JsonElement> AskAsync(string text, string user = BotHost.Megan, string name = "Megan Bowen")
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(text, user, name);
        return (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
    }
}
