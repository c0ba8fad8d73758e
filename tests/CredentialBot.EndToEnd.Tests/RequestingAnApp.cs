using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Requesting a new app registration from Teams (issue 14.3): Alex fills the form, Megan (an admin) approves it in her
/// chat, the Simulator creates the application and its service principal, owned by the bot and the technical owners,
/// and Alex gets its status card with Rotate now. Every bad input, every person who may not decide, a second click,
/// a missing Graph permission and the feature turned off are attacked through the real host.
/// </summary>
public sealed class RequestingAnApp : IAsyncLifetime
{
    private const string Name = "Invoice Reader";

    private readonly BotHost _bot = new BotHost()
        .With("AppRequests:Enabled", "true")
        .With("AppRequests:ManagingServicePrincipalId", DemoTenant.CredentialBotServicePrincipal)
        .With("Authorization:AdminObjectIds:0", BotHost.Megan)
        .With("Authorization:AdminObjectIds:1", DemoTenant.Isaiah)
        .With("AdminScopes:Scopes:0:Name", "Payroll")
        .With("AdminScopes:Scopes:0:People:0", DemoTenant.Adele)
        .With("AdminScopes:Scopes:0:Apps:0", "name:Payroll*");

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
        await _bot.InstallAsync(BotHost.Alex, "Alex Wilber");
        await _bot.InstallAsync(DemoTenant.Adele, "Adele Vance");
        await using var scope = _bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Store.Services.PolicyStore>().SaveAsync(Policy.Default with { Name = "Strict apps", MaximumSecretLifetime = TimeSpan.FromDays(90) });
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task MeganApproves_TheAppIsCreatedInEntra_AndAlexGetsItsStatusCardToCreateTheFirstSecret()
    {
        var sent = await RequestAsync();
        Assert.Contains("was sent to 1 admin for approval", sent, StringComparison.Ordinal);
        var approval = await ApprovalCardAsync(BotHost.Megan);
        Assert.Contains("Alex Wilber asks for a new app registration: Invoice Reader", AllText(approval), StringComparison.Ordinal);
        Assert.Contains($"29:{BotHost.Megan}", approval.GetProperty("refresh").GetProperty("userIds").EnumerateArray().Select(u => u.GetString()));

        var decided = (await DecideAsync("approveAppRequest", approval, BotHost.Megan, "Megan Bowen")).GetProperty("value");

        Assert.Contains("Approved by Megan Bowen", AllText(decided), StringComparison.Ordinal);
        Assert.Contains("Created 'Invoice Reader'", AllText(decided), StringComparison.Ordinal);
        Assert.False(HasButton(decided, "Approve and create"));

        // Read back through Graph: one single-tenant app registration, its service principal, owned by the bot and Alex.
        await using var scope = _bot.Services.CreateAsyncScope();
        var found = Assert.Single(await scope.ServiceProvider.GetRequiredService<ITenantDirectory>().FindApplicationsByNameAsync(Name));
        var inEntra = _bot.Tenant.Find(found.ObjectId)!;
        Assert.Equal(("AzureADMyOrg", "Reads supplier invoices for the finance team"), (inEntra.SignInAudience, inEntra.Description));
        Assert.Equal([DemoTenant.CredentialBotServicePrincipal, BotHost.Alex], inEntra.OwnerIds);
        Assert.Contains(_bot.Tenant.ServicePrincipals, sp => sp.AppId == inEntra.AppId);

        // In the store at once, with its owners and policy.
        var stored = (await scope.ServiceProvider.GetRequiredService<Store.Services.AppCatalog>().GetAsync(found.ObjectId))!;
        Assert.Contains(stored.Owners, o => o is { Kind: OwnerKind.Technical, ObjectId: BotHost.Alex, CanManageCredentials: true });
        Assert.Contains(stored.Owners, o => o is { Kind: OwnerKind.Business, ObjectId: DemoTenant.Patti });
        Assert.Contains(stored.Owners, o => o is { Kind: OwnerKind.Entra, ObjectId: BotHost.Alex });
        Assert.Equal("Strict apps", (await scope.ServiceProvider.GetRequiredService<Store.Services.PolicyStore>().GetPolicyForAsync(stored)).Name);

        // Alex's status card has Rotate now, and it creates the first secret.
        var card = (await Eventually.WaitAsync(() => _bot.Connector.Calls.LastOrDefault(c => c.ConversationId == $"a:personal-{BotHost.Alex}" && AllText(c.Body).Contains("was approved by Megan Bowen and created", StringComparison.Ordinal)))).Cards[0];
        Assert.True(HasButton(card, "Rotate now"));
        var form = (await _bot.ExecuteAsync("dialog", ButtonData(card, "Rotate now"), BotHost.Alex, "Alex Wilber")).GetProperty("value");
        var rotated = await _bot.ExecuteAsync("dialog", Submit(form, "Create the new secret")["data"]!, BotHost.Alex, "Alex Wilber");
        Assert.Single(_bot.Tenant.Find(found.ObjectId)!.PasswordCredentials);
        Assert.Contains("New secret for Invoice Reader", AllText(rotated), StringComparison.Ordinal);

        var audit = await _bot.AuditAsync();
        Assert.Contains(audit, e => e is { Operation: "RequestApp", Outcome: "Submitted", ActorObjectId: BotHost.Alex });
        Assert.Contains(audit, e => e is { Operation: "DecideAppRequest", Outcome: "Approved", ActorObjectId: BotHost.Megan });
        Assert.Contains(audit, e => e.Operation == "CreateApp" && e.Outcome == "Succeeded" && e.AppObjectId == found.ObjectId);
    }

    [Fact]
    public async Task ThePeopleTheRequestNamed_AreEachToldOnceTheyOwnTheNewApp_AndTheRequesterGetsOnlyTheStatusCard()
    {
        await _bot.InstallAsync(DemoTenant.Patti, "Patti Fernandez");
        await RequestAsync(("technicalOwners", "alexw@example.com, adelev@example.com"), ("businessOwner", "adelev@example.com"));
        await DecideAsync("approveAppRequest", await ApprovalCardAsync(BotHost.Megan), BotHost.Megan, "Megan Bowen");
        await RequestAsync(("name", "Invoice Writer"), ("businessOwner", "pattif@example.com"));
        await DecideAsync("approveAppRequest", await ApprovalCardAsync(BotHost.Megan), BotHost.Megan, "Megan Bowen");

        // Adele, named technical and business owner, gets the technical owner's card once, with Rotate now.
        var adele = await Eventually.WaitAsync(() => NewOwnerCards(DemoTenant.Adele) is [_, ..] cards ? cards : null);
        var told = Assert.Single(adele);
        Assert.Contains("You are now a technical owner of Invoice Reader", AllText(told), StringComparison.Ordinal);
        Assert.Contains("Named in Alex Wilber's request for this app registration, approved by Megan Bowen.", AllText(told), StringComparison.Ordinal);
        Assert.True(HasButton(told, "Rotate now"));

        // Patti, business owner of the second app, is told what a business owner answers for, with no Rotate now.
        var patti = Assert.Single(await Eventually.WaitAsync(() => NewOwnerCards(DemoTenant.Patti) is [_, ..] cards ? cards : null));
        Assert.Contains("You are now a business owner of Invoice Writer", AllText(patti), StringComparison.Ordinal);
        Assert.False(HasButton(patti, "Rotate now"));

        // Alex asked for both: the status cards say it all, no "you are now an owner" card.
        Assert.Empty(NewOwnerCards(BotHost.Alex));
    }

    [Theory]
    [InlineData("name", "ab", "at least 3 characters")]
    [InlineData("name", "Invoice {script}", "not '{' '}'")]
    [InlineData("name", "-Invoice", "must start with a letter or a digit")]
    [InlineData("purpose", "short", "purpose and business justification")]
    [InlineData("type", "Mainframe", "Choose what kind of app it is.")]
    [InlineData("technicalOwners", "nobody@example.com", "Nobody in the directory matches 'nobody@example.com'")]
    [InlineData("technicalOwners", "diegos@example.com", "Diego Siciliani's account is disabled")]
    [InlineData("businessOwner", "ghost@example.com", "Nobody in the directory matches 'ghost@example.com'")]
    [InlineData("policy", "No Such Policy", "There is no policy named 'No Such Policy'")]
    [InlineData("ticket", "CHG-0000000000000000000000000000000000000000000000000000000000000000000", "The ticket number is")]
    public async Task ABadField_ComesBackOnTheForm_SayingWhatIsWrong_AndNothingIsSent(string field, string value, string problem)
    {
        var answer = await SubmitFormAsync((field, value));

        var card = answer.GetProperty("value");
        Assert.Contains("Please fix the following:", AllText(card), StringComparison.Ordinal);
        Assert.Contains(problem, AllText(card), StringComparison.Ordinal);
        Assert.True(HasButton(card, "Send for approval"));
        Assert.Equal(0, await CountRequestsAsync());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RequestApp", Outcome: "Refused", ActorObjectId: BotHost.Alex });
    }

    [Fact]
    public async Task TooManyTechnicalOwners_AreRefusedWithoutAskingTheDirectory()
    {
        var roster = string.Join(", ", Enumerable.Range(1, 11).Select(i => $"person{i}@example.com"));
        var card = (await SubmitFormAsync(("technicalOwners", roster))).GetProperty("value");

        Assert.Contains("11 technical owners were named; at most 10.", AllText(card), StringComparison.Ordinal);
        Assert.DoesNotContain("person1@example.com'", AllText(card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANameAnAppAlreadyHas_IsWarnedOnTheApprovalCard_NotRefused()
    {
        var sent = await RequestAsync(("name", "payroll api"));

        Assert.Contains("1 app named 'payroll api' already exists", sent, StringComparison.Ordinal);
        Assert.Contains("already exists", AllText(await ApprovalCardAsync(BotHost.Megan)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRequester_CannotApproveTheirOwnRequest_EvenAsAnAdmin()
    {
        await RequestAsync(asUser: (BotHost.Megan, "Megan Bowen"), inputs: [("technicalOwners", "meganb@example.com")]);

        // Her card reaches the other admin only, so she forges the button's data.
        var approval = new JsonObject { ["appRequest"] = 1 };

        var answer = (await _bot.ExecuteAsync("approveAppRequest", approval, BotHost.Megan, "Megan Bowen")).GetProperty("value");

        Assert.Contains("You cannot approve or deny your own request", AllText(answer), StringComparison.Ordinal);
        Assert.Equal(AppRegistrationRequestStatus.Pending, await StatusAsync());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "DecideAppRequest", Outcome: "Refused", ActorObjectId: BotHost.Megan });
        Assert.Empty(await FindInEntraAsync(Name));
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAdmin_CannotDecide_WithAForgedInvoke()
    {
        await RequestAsync();
        var approve = ButtonData(await ApprovalCardAsync(BotHost.Megan), "Approve and create");

        var answer = (await _bot.ExecuteAsync("approveAppRequest", approve, DemoTenant.Lynne, "Lynne Robbins")).GetProperty("value");

        Assert.Contains("Only a CredentialBot admin, or a scoped admin whose scope the new app would fall in", AllText(answer), StringComparison.Ordinal);
        Assert.False(HasButton(answer, "Approve and create"));
        Assert.Equal(AppRegistrationRequestStatus.Pending, await StatusAsync());
        Assert.Empty(await FindInEntraAsync(Name));
    }

    [Fact]
    public async Task AScopedAdmin_DecidesOnlyAppsTheirScopeWouldCover()
    {
        await RequestAsync();
        var outside = ButtonData(await ApprovalCardAsync(BotHost.Megan), "Approve and create");

        var refused = (await _bot.ExecuteAsync("approveAppRequest", outside, DemoTenant.Adele, "Adele Vance")).GetProperty("value");

        Assert.Contains("would not fall in your scope (Payroll (name:Payroll\\*))", AllText(refused), StringComparison.Ordinal);
        Assert.Empty(await FindInEntraAsync(Name));

        // A Payroll app falls in her scope: she is asked, and may approve it.
        var before = _bot.Connector.Calls.Count;
        await RequestAsync(("name", "Payroll Exporter"));
        var inside = await Eventually.WaitAsync(() => _bot.Connector.Calls.Skip(before).LastOrDefault(c => c.Method == "POST" && c.ConversationId == $"a:personal-{DemoTenant.Adele}" && HasApprove(c.Body)));
        var approved = (await _bot.ExecuteAsync("approveAppRequest", ButtonData(inside.Cards[0], "Approve and create"), DemoTenant.Adele, "Adele Vance")).GetProperty("value");
        Assert.Contains("Approved by Adele Vance", AllText(approved), StringComparison.Ordinal);
        Assert.Single(await FindInEntraAsync("Payroll Exporter"));
    }

    [Fact]
    public async Task ASecondClick_AndTwoAdminsAtOnce_CreateExactlyOneApp()
    {
        await RequestAsync();
        var approve = ButtonData(await ApprovalCardAsync(BotHost.Megan), "Approve and create");

        var answers = await Task.WhenAll(
            _bot.ExecuteAsync("approveAppRequest", approve, BotHost.Megan, "Megan Bowen"),
            _bot.ExecuteAsync("approveAppRequest", approve, BotHost.Megan, "Megan Bowen"),
            _bot.ExecuteAsync("approveAppRequest", approve, DemoTenant.Isaiah, "Isaiah Langer"));
        var replay = await _bot.ExecuteAsync("approveAppRequest", approve, BotHost.Megan, "Megan Bowen");

        Assert.Single(await FindInEntraAsync(Name));
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "CreateApp", Outcome: "Succeeded" });
        var approved = Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "DecideAppRequest", Outcome: "Approved" });

        // Whichever of the three clicks won (Megan's or Isaiah's), the replay names that approver.
        Assert.Contains($"already approved and created by {approved.ActorName}", AllText(replay), StringComparison.Ordinal);
        Assert.All(answers, a => Assert.Equal(JsonValueKind.Object, a.GetProperty("value").ValueKind));
        Assert.Equal(AppRegistrationRequestStatus.Created, await StatusAsync());
    }

    [Fact]
    public async Task ADenial_NeedsAReason_RecordsIt_AndTellsTheRequester()
    {
        await RequestAsync();
        var approval = await ApprovalCardAsync(BotHost.Megan);

        var noReason = (await _bot.ExecuteAsync("denyAppRequest", ButtonData(approval, "Deny"), BotHost.Megan, "Megan Bowen")).GetProperty("value");
        Assert.Contains("Say why you deny it", AllText(noReason), StringComparison.Ordinal);
        Assert.Equal(AppRegistrationRequestStatus.Pending, await StatusAsync());

        var data = ButtonData(approval, "Deny");
        data["reason"] = "Use the existing Finance Reconciliation app instead.";
        var denied = (await _bot.ExecuteAsync("denyAppRequest", data, BotHost.Megan, "Megan Bowen")).GetProperty("value");

        Assert.Contains("Denied by Megan Bowen", AllText(denied), StringComparison.Ordinal);
        Assert.Contains("Use the existing Finance Reconciliation app instead.", AllText(denied), StringComparison.Ordinal);
        Assert.Contains(_bot.Connector.Calls, c => c.ConversationId == $"a:personal-{BotHost.Alex}" && AllText(c.Body).Contains("was denied by Megan Bowen. Reason: Use the existing Finance Reconciliation app instead.", StringComparison.Ordinal));
        Assert.Contains(await _bot.AuditAsync(), e => e.Operation == "DecideAppRequest" && e.Outcome == "Denied" && e.Reason!.Contains("Use the existing Finance Reconciliation", StringComparison.Ordinal));
        Assert.Empty(await FindInEntraAsync(Name));
    }

    [Fact]
    public async Task WithoutPermissionToCreateApps_TheApprovalSaysWhichPermission_AndTheRequestFails()
    {
        await RequestAsync();
        _bot.Tenant.GrantedPermissions = new HashSet<string> { "Application.Read.All", "User.Read.All" };

        var answer = (await DecideAsync("approveAppRequest", await ApprovalCardAsync(BotHost.Megan), BotHost.Megan, "Megan Bowen")).GetProperty("value");

        Assert.Contains("grant it the Graph permission Application.ReadWrite.OwnedBy", AllText(answer), StringComparison.Ordinal);
        Assert.Equal(AppRegistrationRequestStatus.Failed, await StatusAsync());
        Assert.Contains(_bot.Connector.Calls, c => c.ConversationId == $"a:personal-{BotHost.Alex}" && AllText(c.Body).Contains("the app was not created", StringComparison.Ordinal));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "CreateApp", Outcome: "Failed" });
    }

    [Fact]
    public async Task WithOnlyOwnedBy_TheAppIsCreatedOwnedByTheBot_AndTheOwnersNotAddedAreNamed()
    {
        await RequestAsync();
        _bot.Tenant.GrantedPermissions = new HashSet<string> { "Application.ReadWrite.OwnedBy", "Application.Read.All", "User.Read.All" };

        var answer = (await DecideAsync("approveAppRequest", await ApprovalCardAsync(BotHost.Megan), BotHost.Megan, "Megan Bowen")).GetProperty("value");

        Assert.Contains("Application.ReadWrite.All", AllText(answer), StringComparison.Ordinal);
        var app = Assert.Single(await FindInEntraAsync(Name));
        Assert.Equal([DemoTenant.CredentialBotServicePrincipal], _bot.Tenant.Find(app.ObjectId)!.OwnerIds);
        Assert.Equal(AppRegistrationRequestStatus.Created, await StatusAsync());

        // Alex still rotates it: a technical owner with ManageCredentials, through the bot that owns it.
        var card = (await Eventually.WaitAsync(() => _bot.Connector.Calls.LastOrDefault(c => c.ConversationId == $"a:personal-{BotHost.Alex}" && AllText(c.Body).Contains("Not done:", StringComparison.Ordinal)))).Cards[0];
        Assert.True(HasButton(card, "Rotate now"));
    }

    [Fact]
    public async Task WhenGraphDoesNotAnswer_TheRequestFails_SayingTheAppMayExist()
    {
        await RequestAsync();
        var approval = await ApprovalCardAsync(BotHost.Megan);
        await _bot.Simulator.DisposeAsync();

        var answer = (await DecideAsync("approveAppRequest", approval, BotHost.Megan, "Megan Bowen")).GetProperty("value");

        Assert.Contains("may or may not exist", AllText(answer), StringComparison.Ordinal);
        Assert.Equal(AppRegistrationRequestStatus.Failed, await StatusAsync());
    }

    [Fact]
    public async Task TurnedOff_TheCommandSaysSo_AndAForgedSubmitIsRefused()
    {
        var off = new BotHost();
        try
        {
            await AssertTurnedOffAsync(off);
        }
        finally
        {
            await off.DisposeAsync();
        }
    }

    private static async Task AssertTurnedOffAsync(BotHost off)
    {
        await off.InitializeAsync();
        await off.InstallAsync(BotHost.Alex, "Alex Wilber");

        var before = off.Connector.Calls.Count;
        await off.SendMessageAsync("request app");
        var reply = (await off.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        Assert.Contains("Requesting new app registrations from Teams is turned off", AllText(reply), StringComparison.Ordinal);

        var forged = new JsonObject { ["dialog"] = "request-app", ["app"] = "new-app", ["confirm"] = "x", ["name"] = Name };
        var answer = await off.ExecuteAsync("dialog", forged, BotHost.Alex, "Alex Wilber");
        Assert.Contains("turned off", AllText(answer), StringComparison.Ordinal);
        Assert.Equal(2, (await off.AuditAsync()).Count(e => e is { Operation: "RequestApp", Outcome: "Refused" }));
    }

    [Fact]
    public async Task TheSameFormSubmittedTwice_SendsOneRequest()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("request app");
        var form = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        var submit = Submit(form, "Send for approval", [("name", Name), ("purpose", "Reads supplier invoices for the finance team"), ("technicalOwners", "alexw@example.com"), ("businessOwner", "pattif@example.com")])["data"]!;

        var answers = await Task.WhenAll(
            _bot.ExecuteAsync("dialog", submit, BotHost.Alex, "Alex Wilber"),
            _bot.ExecuteAsync("dialog", submit, BotHost.Alex, "Alex Wilber"));

        Assert.Equal(1, await CountRequestsAsync());
        Assert.Single(answers, a => AllText(a).Contains("nothing was done again", StringComparison.Ordinal));
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RequestApp", Outcome: "Submitted" });
    }

    [Fact]
    public async Task TurnedOnWithoutTheBotsServicePrincipal_StopsStartUp_NamingTheSetting()
    {
        var failure = await BotHost.RefusedStartAsync(("AppRequests:Enabled", "true"));

        Assert.Contains("AppRequests:ManagingServicePrincipalId", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestNobodyDecides_ExpiresAfterThreeDays_AndTheRequesterIsTold()
    {
        await RequestAsync();
        var approve = ButtonData(await ApprovalCardAsync(BotHost.Megan), "Approve and create");

        _bot.Time.Advance(AppRegistrationRequest.DecisionWindow);
        await _bot.RunJanitorAsync();

        Assert.Equal(AppRegistrationRequestStatus.Expired, await StatusAsync());
        Assert.Contains(_bot.Connector.Calls, c => c.ConversationId == $"a:personal-{BotHost.Alex}" && AllText(c.Body).Contains("so it expired", StringComparison.Ordinal));
        var late = (await _bot.ExecuteAsync("approveAppRequest", approve, BotHost.Megan, "Megan Bowen")).GetProperty("value");
        Assert.Contains("This request expired before anyone decided", AllText(late), StringComparison.Ordinal);
        Assert.Empty(await FindInEntraAsync(Name));
    }

    [Fact]
    public async Task ForgedOrMalformedDecisions_Are400OrNotFound_NeverA500()
    {
        var missing = (await _bot.ExecuteAsync("approveAppRequest", new JsonObject { ["appRequest"] = 999 }, BotHost.Megan, "Megan Bowen")).GetProperty("value");
        var malformed = await _bot.ExecuteAsync("approveAppRequest", new JsonObject { ["appRequest"] = "1; drop table" }, BotHost.Megan, "Megan Bowen");
        var hugeReason = await _bot.ExecuteAsync("denyAppRequest", new JsonObject { ["appRequest"] = 1, ["reason"] = new string('x', 5000) }, BotHost.Megan, "Megan Bowen");

        Assert.Contains("That request no longer exists; nothing was decided.", AllText(missing), StringComparison.Ordinal);
        Assert.Equal(400, malformed.GetProperty("statusCode").GetInt32());
        Assert.Equal(400, hugeReason.GetProperty("statusCode").GetInt32());
        Assert.Equal(3, (await _bot.AuditAsync()).Count(e => e is { Operation: "DecideAppRequest", Outcome: "Refused" }));
    }

    private async Task<string> RequestAsync(params (string Id, string Value)[] inputs) => await RequestAsync((BotHost.Alex, "Alex Wilber"), inputs);

    private async Task<string> RequestAsync((string Id, string Name) asUser, (string Id, string Value)[] inputs)
    {
        var answer = await SubmitFormAsync(asUser, inputs);
        return AllText(answer.GetProperty("value"));
    }

    private Task<JsonElement> SubmitFormAsync(params (string Id, string Value)[] inputs) => SubmitFormAsync((BotHost.Alex, "Alex Wilber"), inputs);

    private async Task<JsonElement> SubmitFormAsync((string Id, string Name) asUser, (string Id, string Value)[] inputs)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("request app", asUser.Id, asUser.Name);
        var form = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        Assert.Contains("Request a new app registration", AllText(form), StringComparison.Ordinal);
        (string, string)[] filled =
        [
            ("name", Name),
            ("purpose", "Reads supplier invoices for the finance team"),
            ("type", "Daemon"),
            ("technicalOwners", "alexw@example.com"),
            ("businessOwner", "pattif@example.com"),
            ("policy", "Strict apps"),
            .. inputs,
        ];
        return await _bot.ExecuteAsync("dialog", Submit(form, "Send for approval", filled)["data"]!, asUser.Id, asUser.Name);
    }

    private Task<JsonElement> DecideAsync(string verb, JsonElement approval, string who, string name) =>
        _bot.ExecuteAsync(verb, ButtonData(approval, verb == "denyAppRequest" ? "Deny" : "Approve and create"), who, name);

    private async Task<JsonElement> ApprovalCardAsync(string admin) =>
        (await Eventually.WaitAsync(() => _bot.Connector.Calls.LastOrDefault(c => c.Method == "POST" && c.ConversationId == $"a:personal-{admin}" && HasApprove(c.Body)))).Cards[0];

    private List<JsonElement> NewOwnerCards(string person) =>
        [.. _bot.Connector.Calls.Where(c => c.ConversationId == $"a:personal-{person}" && c.Cards.Count > 0 && AllText(c.Cards[0]).Contains("You are now a", StringComparison.Ordinal)).Select(c => c.Cards[0])];

    private static bool HasApprove(JsonElement body) => body.TryGetProperty("attachments", out _) && AllText(body).Contains("Approve and create", StringComparison.Ordinal);

    private async Task<IReadOnlyList<App>> FindInEntraAsync(string name)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ITenantDirectory>().FindApplicationsByNameAsync(name);
    }

    private async Task<int> CountRequestsAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().AppRegistrationRequests.CountAsync();
    }

    private async Task<AppRegistrationRequestStatus> StatusAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().AppRegistrationRequests.Select(r => r.Status).SingleAsync();
    }
}
