using System.Text.Json.Nodes;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Scoped admins (issue 14.1) from settings: Alex administers the Payroll apps (Payroll API, Payroll API (Staging)),
/// the members of a nested group (Adele) the HR apps. Every admin surface works for them on the apps of their scope
/// and refuses, politely and audited, everything else: compliance, scan now, policies and the policy dialog (forged
/// submits included), import owners, exports, approvals (a forged approve), and scope management itself.
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
        .With("AdminScopes:Scopes:1:Apps:1", "name:Onboarding*")
        .With("Exports:PublicBaseUrl", "https://credentialbot.example.com")
        .With("Exports:SigningKey", "test-signing-key-that-is-long-enough-1234");

    private static readonly string Staging = DemoTenant.AppId(18);
    private static readonly string Travel = DemoTenant.AppId(12);

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

    [Fact]
    public async Task AScopedAdminsScanNow_StartsNoScan_AndReportsTheirScopeAsTheLastScanLeftIt()
    {
        var text = AllText(await AskAsync("scan now", BotHost.Alex, "Alex Wilber"));

        Assert.Contains("A scan reads the whole tenant, so only global admins start one.", text, StringComparison.Ordinal);
        Assert.Contains("**Your scope**: Payroll (name:Payroll\\*).", text, StringComparison.Ordinal);
        Assert.Contains("2 (2 app registrations, 0 enterprise applications)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Travel Booking", text, StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Contains(audit, e => e is { Operation: "ScanNow", Outcome: "Refused", ActorObjectId: BotHost.Alex });
        Assert.DoesNotContain(audit, e => e is { Operation: "ScanNow", Outcome: "Started" });
    }

    [Fact]
    public async Task AScopedAdmin_SeesOnlyTheirPolicies_AndEditsOnlyOneAssignedInsideTheirScope()
    {
        // Before a policy of their own, the Payroll apps follow the default, which reaches every app registration.
        var shared = await AskAsync("policy Default app registrations", BotHost.Alex, "Alex Wilber");
        await AddPolicyAsync("Payroll policy", "NamePattern", "Payroll*");
        await AddPolicyAsync("Travel policy", "App", DemoTenant.AppId(12));

        var list = AllText(await AskAsync("policies", BotHost.Alex, "Alex Wilber"));
        var mine = await AskAsync("policy Payroll policy", BotHost.Alex, "Alex Wilber");

        Assert.Contains("Payroll policy", list, StringComparison.Ordinal);
        Assert.Contains("name:Payroll\\*", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Travel policy", list, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoTenant.AppId(12), list, StringComparison.Ordinal);
        Assert.True(HasButton(mine, "Edit"));
        Assert.False(HasButton(shared, "Edit"));
        Assert.Contains("also applies outside your scope (kind:Application), so only a global admin can edit it", AllText(shared), StringComparison.Ordinal);

        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(mine, "Edit") }, BotHost.Alex, "Alex Wilber");
        var (_, saved) = await _bot.InvokeAsync("task/submit", Submit(DialogCard(opened), "Save policy", ("stages", "45,14,7,1")), BotHost.Alex, "Alex Wilber");

        Assert.Contains("Saved by Alex Wilber", AllText(DialogCard(saved)), StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "EditPolicy", Outcome: "Succeeded", ActorObjectId: BotHost.Alex });
    }

    [Fact]
    public async Task AScopedAdmin_AskingForAnotherScopesPolicy_IsRefused_AndItIsAudited()
    {
        await AddPolicyAsync("Travel policy", "App", DemoTenant.AppId(12));

        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("policy Travel policy", BotHost.Alex, "Alex Wilber");
        var reply = (await _bot.Connector.WaitForCallsAsync(before + 1))[before];

        Assert.Contains("No policy named 'Travel policy' governs the apps of your scope", reply.Text, StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "Admin:policy", Outcome: "Refused", ActorObjectId: BotHost.Alex });
    }

    [Theory]
    [InlineData("Default app registrations", "also applies outside your scope (kind:Application)")]
    [InlineData("Travel policy", "also applies outside your scope (app:1f2e3d4c-5b6a-4978-8a9b-000000000012)")]
    [InlineData("No such policy", "is assigned to nothing, so it is not inside your scope")]
    public async Task AScopedAdmin_CannotEditAPolicyReachingOutsideTheirScope_WithAForgedDialogSubmit(string policy, string why)
    {
        await AddPolicyAsync("Travel policy", "App", DemoTenant.AppId(12));
        var data = new JsonObject { ["dialog"] = "policy", ["app"] = "policies", ["subject"] = policy, ["stages"] = "7", ["minEntra"] = "0", ["minTechnical"] = "0", ["minBusiness"] = "0", ["maxLifetimeDays"] = "1000", ["graceDays"] = "1", ["maxElevationHours"] = "1" };

        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = data.DeepClone() }, BotHost.Alex, "Alex Wilber");
        var (_, answer) = await _bot.InvokeAsync("task/submit", new JsonObject { ["data"] = data }, BotHost.Alex, "Alex Wilber");

        Assert.Contains(why, DialogMessage(opened), StringComparison.Ordinal);
        Assert.Contains(why, DialogMessage(answer), StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", DialogMessage(answer), StringComparison.Ordinal);
        Assert.Equal(2, (await _bot.AuditAsync()).Count(e => e is { Operation: "EditPolicy", Outcome: "Refused", ActorObjectId: BotHost.Alex }));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e is { Operation: "EditPolicy", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task AScopedAdminsImport_RefusesRowsOutsideTheScopeByLine_AndImportsTheRestAfterTheConfirm()
    {
        var mixed = $"""
            app,kind,person,ManageCredentials
            {Staging},technical,isaiah@example.com,true
            {Travel},business,lynner@example.com,false
            """;
        var preview = await AskAsync($"import owners\n{mixed}", BotHost.Alex, "Alex Wilber");
        var text = AllText(preview);
        Assert.Contains("Import 1 owner?", text, StringComparison.Ordinal);
        Assert.Contains("1 row refused: outside your admin scope", text, StringComparison.Ordinal);
        Assert.Contains("Travel Booking is outside your admin scope", text, StringComparison.Ordinal);

        var done = await _bot.ExecuteAsync("importOwners", ButtonData(preview, "Import 1 owner"), BotHost.Alex, "Alex Wilber");

        Assert.Contains("Imported 1 owner", AllText(done), StringComparison.Ordinal);
        Assert.Contains(await OwnersAsync(DemoTenant.ObjectId(18)), o => o is { Kind: OwnerKind.Technical, ObjectId: DemoTenant.Isaiah });
        Assert.DoesNotContain(await OwnersAsync(DemoTenant.ObjectId(12)), o => o.ObjectId == DemoTenant.Lynne);
        var audit = await _bot.AuditAsync();
        Assert.Equal(2, audit.Count(e => e is { Operation: "Admin:import owners", Outcome: "Refused", ActorObjectId: BotHost.Alex } && e.AppObjectId == DemoTenant.ObjectId(12) && e.Reason!.StartsWith("Line 3:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AForgedImportConfirm_NamingOnlyOtherApps_ImportsNothing_AndIsAudited()
    {
        var csv = $"app,kind,person,ManageCredentials\n{Travel},business,lynner@example.com,false\n";

        var forged = await _bot.ExecuteAsync("importOwners", new JsonObject { ["csv"] = csv, ["confirm"] = "forged-confirm-id" }, BotHost.Alex, "Alex Wilber");

        Assert.Contains("No row names an app in your scope: nothing was imported", AllText(forged), StringComparison.Ordinal);
        Assert.Contains("Travel Booking is outside your admin scope", AllText(forged), StringComparison.Ordinal);
        Assert.DoesNotContain(await OwnersAsync(DemoTenant.ObjectId(12)), o => o.ObjectId == DemoTenant.Lynne);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "Admin:import owners", Outcome: "Refused", ActorObjectId: BotHost.Alex } && e.AppObjectId == DemoTenant.ObjectId(12));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "AddOwner");
    }

    [Fact]
    public async Task AScopedAdminsComplianceExport_HoldsOnlyTheirApps_NamingTheScope()
    {
        var csv = await DownloadAsync("export compliance", BotHost.Alex, "Alex Wilber");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith(",scope", lines[0].TrimEnd('\r'), StringComparison.Ordinal);
        Assert.Equal(2, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains("Payroll API", l, StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",Payroll", l.TrimEnd('\r'), StringComparison.Ordinal));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "ExportCompliance", Outcome: "Downloaded", ActorObjectId: BotHost.Alex, Reason: "Scoped to Payroll (name:Payroll*)" });
    }

    [Fact]
    public async Task AScopedAdminsAuditExport_HoldsOnlyEventsAboutTheirApps()
    {
        var preview = await AskAsync($"import owners\napp,kind,person,ManageCredentials\n{Staging},technical,isaiah@example.com,true\n{Travel},business,lynner@example.com,false", BotHost.Alex, "Alex Wilber");
        await _bot.ExecuteAsync("importOwners", ButtonData(preview, "Import 1 owner"), BotHost.Alex, "Alex Wilber");
        await AskAsync("compliance", DemoTenant.Adele, "Adele Vance");

        var csv = await DownloadAsync("export audit", BotHost.Alex, "Alex Wilber");

        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.Contains(DemoTenant.ObjectId(1), StringComparison.Ordinal) || r.Contains(DemoTenant.ObjectId(18), StringComparison.Ordinal), r));
        Assert.Contains(rows, r => r.Contains("AddOwner", StringComparison.Ordinal));
        Assert.Contains(await _bot.AuditAsync(), e => e.AppObjectId == DemoTenant.ObjectId(12));
    }

    [Fact]
    public async Task AScopedAdmin_ApprovesARequestOnAnAppInTheirScope_ButAForgedApprovalOnAnotherIsRefusedAndAudited()
    {
        var inScope = await RequestElevationAsync(DemoTenant.ObjectId(3));
        var outside = await RequestElevationAsync(DemoTenant.ObjectId(12));

        var refused = await _bot.ExecuteAsync("approveRequest", new JsonObject { ["request"] = outside }, DemoTenant.Adele, "Adele Vance");
        var approved = await _bot.ExecuteAsync("approveRequest", new JsonObject { ["request"] = inScope }, DemoTenant.Adele, "Adele Vance");

        Assert.Contains("Travel Booking is outside your admin scope (HR); only an Entra owner of Travel Booking", AllText(refused), StringComparison.Ordinal);
        Assert.Contains("Approved by Adele Vance", AllText(approved), StringComparison.Ordinal);
        Assert.Equal([AccessRequestStatus.Approved, AccessRequestStatus.Pending], [await StatusOfAsync(inScope), await StatusOfAsync(outside)]);
        var audit = await _bot.AuditAsync();
        Assert.Contains(audit, e => e is { Operation: "DecideRequest", Outcome: "Refused", ActorObjectId: DemoTenant.Adele } && e.AppObjectId == DemoTenant.ObjectId(12));
        Assert.Contains(audit, e => e is { Operation: "DecideRequest", Outcome: "Approved", ActorObjectId: DemoTenant.Adele } && e.AppObjectId == DemoTenant.ObjectId(3));
    }

    [Fact]
    public async Task AScopedAdmin_CannotManageScopes_NorCanSomeoneInNoScope_AndBothAreAudited()
    {
        foreach (var (user, name) in new[] { (BotHost.Alex, "Alex Wilber"), (DemoTenant.Patti, "Patti Fernandez") })
        {
            var before = _bot.Connector.Calls.Count;
            await _bot.SendMessageAsync("scopes", user, name);
            Assert.Contains("is for CredentialBot admins", (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Text, StringComparison.Ordinal);
        }

        var forged = new JsonObject { ["dialog"] = "scope", ["app"] = "scopes", ["name"] = "Everything", ["people"] = BotHost.Alex, ["apps"] = "kind:Application", ["confirm"] = "forged" };
        var (_, answer) = await _bot.InvokeAsync("task/submit", new JsonObject { ["data"] = forged }, BotHost.Alex, "Alex Wilber");

        Assert.Contains("Only global CredentialBot admins manage admin scopes. Nothing was changed.", DialogMessage(answer), StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Contains(audit, e => e is { Operation: "Admin:scopes", Outcome: "Refused", ActorObjectId: BotHost.Alex });
        Assert.Contains(audit, e => e is { Operation: "Admin:scopes", Outcome: "Refused", ActorObjectId: DemoTenant.Patti });
        Assert.Contains(audit, e => e is { Operation: "EditAdminScope", Outcome: "Refused", ActorObjectId: BotHost.Alex });
        await using var scope = _bot.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<AdminScopeStore>().ListAsync());
    }

    private async Task<System.Text.Json.JsonElement> AskAsync(string text, string user, string name)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(text, user, name);
        return (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
    }

    private async Task AddPolicyAsync(string name, string target, string value)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
        await policies.SaveAsync(Policy.Default with { Name = name });
        await policies.AssignAsync(name, Enum.Parse<AssignmentTarget>(target), value);
    }

    private async Task<IReadOnlyList<Owner>> OwnersAsync(string appObjectId)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AppCatalog>().GetAsync(appObjectId))!.Owners;
    }

    /// <summary>Patti asks for an elevation on the App, as the elevate dialog stores it; the answer is the request's id.</summary>
    private async Task<long> RequestElevationAsync(string appObjectId)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var now = _bot.Time.GetUtcNow();
        var request = await scope.ServiceProvider.GetRequiredService<AccessRequestStore>().CreateAsync(new AccessRequest(
            0, AccessRequestKind.Elevation, appObjectId, DemoTenant.Patti, "Patti Fernandez", AppRight.ManageCredentials, TimeSpan.FromHours(2),
            "Release", null, null, AccessRequestStatus.Pending, now, now + AccessRequest.DecisionWindow));
        return request.Id;
    }

    private async Task<AccessRequestStatus> StatusOfAsync(long id)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AccessRequestStore>().GetAsync(id))!.Status;
    }

    /// <summary>Asks for an export link in the personal chat and downloads it once.</summary>
    private async Task<string> DownloadAsync(string command, string user, string name)
    {
        var card = await AskAsync(command, user, name);
        var url = new Uri(card.GetProperty("actions")[0].GetProperty("url").GetString()!);
        using var download = await _bot.Client.GetAsync(new Uri(url.PathAndQuery, UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, download.StatusCode);
        return await download.Content.ReadAsStringAsync();
    }
}
