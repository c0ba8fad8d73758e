using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Scoped admins (issue 14.1) from settings: Alex administers the Payroll apps, the members of a nested group the HR
/// apps. Their compliance card counts only their apps and names the scope; every other admin surface refuses them
/// politely, and the refusal is audited.
/// </summary>
public sealed class ScopedAdmins : IAsyncLifetime
{
    private const string HrLeads = "b0b0b0b0-0000-4000-8000-000000000001";
    private const string HrPeople = "b0b0b0b0-0000-4000-8000-000000000002";

    private readonly BotHost _bot = new BotHost()
        .With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup)
        .With("AdminScopes:Scopes:0:Name", "Payroll")
        .With("AdminScopes:Scopes:0:People:0", BotHost.Alex)
        .With("AdminScopes:Scopes:0:Apps:0", "name:Payroll*")
        .With("AdminScopes:Scopes:1:Name", "HR")
        .With("AdminScopes:Scopes:1:Groups:0", HrLeads)
        .With("AdminScopes:Scopes:1:Apps:0", "name:HR *")
        .With("AdminScopes:Scopes:1:Apps:1", "name:Onboarding*");

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        _bot.Tenant.AddGroup(new SimGroup(HrPeople, "HR people", [DemoTenant.Adele]));
        _bot.Tenant.AddGroup(new SimGroup(HrLeads, "HR leads", [HrPeople]));
        await _bot.ScanAndSeedAsync();
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AScopedAdminsCompliance_CountsOnlyTheirApps_AndNamesTheScope()
    {
        var text = AllText(await AskAsync("compliance", BotHost.Alex, "Alex Wilber"));

        Assert.Contains("**Your scope**: Payroll (name:Payroll\\*). Only these apps are counted.", text, StringComparison.Ordinal);
        Assert.Contains("2 (2 app registrations, 0 enterprise applications)", text, StringComparison.Ordinal);
        Assert.Contains("Payroll API", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Travel Booking", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Tenant posture", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberOfAScopesNestedGroup_IsAScopedAdmin()
    {
        var text = AllText(await AskAsync("compliance", DemoTenant.Adele, "Adele Vance"));

        Assert.Contains("**Your scope**: HR (name:HR \\*, name:Onboarding\\*).", text, StringComparison.Ordinal);
        Assert.Contains("2 (2 app registrations, 0 enterprise applications)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGlobalAdmin_StillSeesTheWholeTenant_WithoutAScopeLine()
    {
        var text = AllText(await AskAsync("compliance", BotHost.Megan, "Megan Bowen"));

        Assert.Contains("25 (20 app registrations, 5 enterprise applications)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Your scope", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneInNoScope_IsStillRefusedCompliance_AndItIsAudited()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("compliance", DemoTenant.Patti, "Patti Fernandez");
        var reply = (await _bot.Connector.WaitForCallsAsync(before + 1))[before];

        Assert.Contains("is for CredentialBot admins", reply.Text, StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "Admin:compliance", Outcome: "Refused", ActorObjectId: DemoTenant.Patti });
    }

    [Theory]
    [InlineData("scan now")]
    [InlineData("policies")]
    [InlineData("policy Default app registrations")]
    [InlineData("import owners")]
    [InlineData("export audit")]
    [InlineData("export compliance")]
    public async Task AScopedAdmin_IsRefusedEveryOtherAdminCommand_AndItIsAudited(string command)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(command, BotHost.Alex, "Alex Wilber");
        var reply = (await _bot.Connector.WaitForCallsAsync(before + 1))[before];

        Assert.Contains("is for CredentialBot admins", reply.Text, StringComparison.Ordinal);
        var name = command.StartsWith("policy ", StringComparison.Ordinal) ? "policy" : command;
        Assert.Contains(await _bot.AuditAsync(), e => e.Operation == $"Admin:{name}" && e is { Outcome: "Refused", ActorObjectId: BotHost.Alex });
    }

    [Fact]
    public async Task AScopedAdmin_CannotEditAPolicy_EvenWithTheDialogData()
    {
        var data = new JsonObject { ["dialog"] = "policy", ["app"] = "policies", ["subject"] = "Default app registrations", ["stages"] = "7" };

        var (_, answer) = await _bot.InvokeAsync("task/submit", new JsonObject { ["data"] = data }, BotHost.Alex, "Alex Wilber");

        Assert.Contains("Only CredentialBot admins can edit policies", DialogMessage(answer), StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "EditPolicy", Outcome: "Refused", ActorObjectId: BotHost.Alex });
    }

    private async Task<System.Text.Json.JsonElement> AskAsync(string text, string user, string name)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(text, user, name);
        return (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
    }
}
