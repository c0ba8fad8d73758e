using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Cli;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Adding, transferring and removing owners from the card: Entra owners add directly, anyone else asks; people are
/// resolved in the directory; the last owner a policy requires stays; the audit command shows all of it.
/// </summary>
public sealed class ManagingOwners : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost().With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup);
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private static readonly string HrPortal = DemoTenant.ObjectId(3);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
        await _bot.InstallAsync(BotHost.Alex, "Alex Wilber");
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AnEntraOwner_AddsABusinessOwner_Directly()
    {
        var reply = await SubmitOwnerDialogAsync(Payroll, "add", BotHost.Alex, "Alex Wilber", ("person", "lynner@example.com"), ("kind", "business"), ("reason", "Finance sign-off"));

        Assert.Equal("Lynne Robbins is now a business owner of Payroll API.", reply);
        Assert.Contains(await OwnersAsync(Payroll), o => o is { Kind: OwnerKind.Business, ObjectId: DemoTenant.Lynne });
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AddOwner", Outcome: "Succeeded", ActorObjectId: BotHost.Alex });
    }

    [Fact]
    public async Task AnEntraOwner_AddsAnEntraOwner_ThroughGraph()
    {
        await SubmitOwnerDialogAsync(Payroll, "add", BotHost.Alex, "Alex Wilber", ("person", "isaiah@example.com"), ("kind", "entra"));

        Assert.Contains(DemoTenant.Isaiah, _bot.Tenant.Find(Payroll)!.OwnerIds);
        Assert.Contains(await OwnersAsync(Payroll), o => o is { Kind: OwnerKind.Entra, ObjectId: DemoTenant.Isaiah });
    }

    [Theory]
    [InlineData("nobody@example.com", "Nobody in the directory matches 'nobody@example.com'")]
    [InlineData("diegos@example.com", "Diego Siciliani's account is disabled")]
    public async Task UnknownAndDisabledPeople_AreRefused_SayingWhy(string person, string reason)
    {
        var reply = await SubmitOwnerDialogAsync(Payroll, "add", BotHost.Alex, "Alex Wilber", ("person", person), ("kind", "technical"));

        Assert.Contains(reason, reply, StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AddOwner", Outcome: "Refused" });
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnEntraOwner_Asks_AndAnOwnerApproves()
    {
        var reply = await SubmitOwnerDialogAsync(Payroll, "add", DemoTenant.Adele, "Adele Vance", ("person", "adelev@example.com"), ("kind", "technical"), ("reason", "I run the payroll jobs"));
        Assert.Contains("sent to", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(await OwnersAsync(Payroll), o => o.ObjectId == DemoTenant.Adele);

        var card = _bot.Connector.Calls.Last(c => c.ConversationId == $"a:personal-{BotHost.Megan}").Cards[0];
        Assert.Contains("Adele Vance asks to add Adele Vance as an owner of Payroll API", AllText(card), StringComparison.Ordinal);
        await _bot.ExecuteAsync("approveRequest", ButtonData(card, "Approve"), BotHost.Megan, "Megan Bowen");

        Assert.Contains(await OwnersAsync(Payroll), o => o is { Kind: OwnerKind.Technical, ObjectId: DemoTenant.Adele, CanManageCredentials: false });
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AddOwner", Outcome: "Succeeded", ActorObjectId: BotHost.Megan });
    }

    [Fact]
    public async Task ABusinessOwner_CannotApproveSomeoneBecomingAnEntraOwner_AndTheRefusalSaysWhoCan()
    {
        await SubmitOwnerDialogAsync(Payroll, "add", DemoTenant.Adele, "Adele Vance", ("person", "adelev@example.com"), ("kind", "entra"), ("reason", "I run the payroll jobs"));
        var approve = ButtonData(await ApprovalCardForMeganAsync(), "Approve");

        // Patti is a business owner of Payroll API: no rights, so she cannot hand out Entra ownership (every right).
        var answer = AllText(await _bot.ExecuteAsync("approveRequest", approve, DemoTenant.Patti, "Patti Fernandez"));

        Assert.Contains("Only an Entra owner of Payroll API or a CredentialBot admin can approve", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoTenant.Adele, _bot.Tenant.Find(Payroll)!.OwnerIds);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "DecideRequest", Outcome: "Refused", ActorObjectId: DemoTenant.Patti } && e.Reason!.Contains("Only an Entra owner", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRequester_CannotApproveTheirOwnOwnerRequest()
    {
        await SubmitOwnerDialogAsync(Payroll, "add", DemoTenant.Adele, "Adele Vance", ("person", "adelev@example.com"), ("kind", "entra"));
        var approve = ButtonData(await ApprovalCardForMeganAsync(), "Approve");

        var answer = AllText(await _bot.ExecuteAsync("approveRequest", approve, DemoTenant.Adele, "Adele Vance"));

        Assert.Contains("cannot approve or deny your own request", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoTenant.Adele, _bot.Tenant.Find(Payroll)!.OwnerIds);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "DecideRequest", Outcome: "Refused", ActorObjectId: DemoTenant.Adele });
    }

    [Fact]
    public async Task AnElevationToManageOwners_DoesNotLetItsHolderAddAnEntraOwner_OnlyAskForOne()
    {
        // Adele is granted "manage owners" on Payroll API through a real elevation that Megan (an Entra owner) approves.
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "elevate", ["app"] = Payroll, ["mode"] = "ManageOwners" } }, DemoTenant.Adele, "Adele Vance");
        await _bot.InvokeAsync("task/submit", Submit(DialogCard(opened), "Send for approval", ("right", "ManageOwners"), ("justification", "Owner clean-up")), DemoTenant.Adele, "Adele Vance");
        await _bot.ExecuteAsync("approveRequest", ButtonData(await ApprovalCardForMeganAsync(), "Approve"), BotHost.Megan, "Megan Bowen");
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "DecideRequest", Outcome: "Approved", ActorObjectId: BotHost.Megan });

        var technical = await SubmitOwnerDialogAsync(Payroll, "add", DemoTenant.Adele, "Adele Vance", ("person", "lynner@example.com"), ("kind", "technical"));
        var entra = await SubmitOwnerDialogAsync(Payroll, "add", DemoTenant.Adele, "Adele Vance", ("person", "isaiah@example.com"), ("kind", "entra"));

        Assert.Equal("Lynne Robbins is now a technical owner of Payroll API.", technical);
        Assert.Contains("sent to", entra, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoTenant.Isaiah, _bot.Tenant.Find(Payroll)!.OwnerIds);
        Assert.DoesNotContain(await OwnersAsync(Payroll), o => o is { Kind: OwnerKind.Entra, ObjectId: DemoTenant.Isaiah });
    }

    [Fact]
    public async Task TheLastTechnicalOwner_CannotBeRemoved_AndTheRefusalSaysWhy()
    {
        var reply = await SubmitOwnerDialogAsync(HrPortal, "remove", BotHost.Alex, "Alex Wilber", ("person", "alexw@example.com"), ("kind", "technical-rotate"));

        Assert.Contains("requires at least 1 active technical owner and 0 would be left", reply, StringComparison.Ordinal);
        Assert.Contains(await OwnersAsync(HrPortal), o => o is { Kind: OwnerKind.Technical, ObjectId: BotHost.Alex });
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RemoveOwner", Outcome: "Refused" });
    }

    [Fact]
    public async Task ATransfer_NeedsAnotherOwnersApproval_ThenReplacesTheRequester()
    {
        var reply = await SubmitOwnerDialogAsync(HrPortal, "transfer", BotHost.Alex, "Alex Wilber", ("person", "isaiah@example.com"), ("kind", "technical-rotate"), ("reason", "Moving teams"));
        Assert.Contains("sent to Megan Bowen", reply, StringComparison.Ordinal);

        var card = _bot.Connector.Calls.Last(c => c.ConversationId == $"a:personal-{BotHost.Megan}").Cards[0];
        await _bot.ExecuteAsync("approveRequest", ButtonData(card, "Approve"), BotHost.Megan, "Megan Bowen");

        var owners = await OwnersAsync(HrPortal);
        Assert.Contains(owners, o => o is { Kind: OwnerKind.Technical, ObjectId: DemoTenant.Isaiah, CanManageCredentials: true });
        Assert.DoesNotContain(owners, o => o is { Kind: OwnerKind.Technical, ObjectId: BotHost.Alex });
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "TransferOwnership", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task AnAdminByGroupMembership_MayRotateAnyApp()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("status Customer Feedback Bot", BotHost.Megan, "Megan Bowen");

        Assert.True(HasButton((await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0], "Rotate now"));
    }

    [Fact]
    public async Task TheAuditCommand_ShowsOwnersWhatHappened_AndRefusesOthers()
    {
        await SubmitOwnerDialogAsync(Payroll, "add", BotHost.Alex, "Alex Wilber", ("person", "lynner@example.com"), ("kind", "business"));

        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("audit Payroll API");
        await _bot.SendMessageAsync("audit Payroll API", DemoTenant.Adele, "Adele Vance");
        var calls = await _bot.Connector.WaitForCallsAsync(before + 2);

        Assert.Contains("AddOwner", AllText(calls[before].Cards[0]), StringComparison.Ordinal);
        Assert.Contains("Only owners of Payroll API and admins can see its audit trail", calls[before + 1].Text, StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "ViewAudit", Outcome: "Refused", ActorObjectId: DemoTenant.Adele });
    }

    [Fact]
    public async Task VerifyAudit_FindsTheFirstEditedEvent()
    {
        await SubmitOwnerDialogAsync(Payroll, "add", BotHost.Alex, "Alex Wilber", ("person", "lynner@example.com"), ("kind", "business"));
        await SubmitOwnerDialogAsync(Payroll, "add", BotHost.Alex, "Alex Wilber", ("person", "nobody@example.com"), ("kind", "business"));
        var store = $"--Store:ConnectionString=Data Source={_bot.DatabasePath}";
        using var intact = new StringWriter();
        Assert.Equal(0, await VerifyAuditVerb.RunAsync([store], intact));
        Assert.Contains("intact", intact.ToString(), StringComparison.Ordinal);

        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
            await db.AuditEvents.Where(e => e.Sequence == 1).ExecuteUpdateAsync(s => s.SetProperty(e => e.Outcome, "Refused"));
        }

        using var broken = new StringWriter();
        Assert.Equal(1, await VerifyAuditVerb.RunAsync([store], broken));
        Assert.Contains("broken at event 1", broken.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> SubmitOwnerDialogAsync(string app, string mode, string userObjectId, string userName, params (string Id, string Value)[] inputs)
    {
        var button = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "owner", ["app"] = app, ["mode"] = mode };
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = button }, userObjectId, userName);
        var form = DialogCard(opened);
        var title = mode == "remove" ? "Remove the owner" : "Submit";
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, title, inputs), userObjectId, userName);
        return answer.GetProperty("task").GetProperty("type").GetString() == "message" ? DialogMessage(answer) : AllText(DialogCard(answer));
    }

    private async Task<JsonElement> ApprovalCardForMeganAsync()
    {
        var call = await Eventually.WaitAsync(() => _bot.Connector.Calls.LastOrDefault(c => c.Method == "POST" && c.ConversationId == $"a:personal-{BotHost.Megan}" && AllText(c.Body).Contains("Approve", StringComparison.Ordinal)));
        return call.Cards[0];
    }

    private async Task<IReadOnlyList<Owner>> OwnersAsync(string app)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AppCatalog>().GetAsync(app))!.Owners;
    }
}
