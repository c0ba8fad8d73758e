using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Just-in-time elevation: Alex asks for rights on Sales Forecasting (owned by Megan), Megan approves from her chat,
/// a grant with an end (and, in PIM mode, a time-bound role assignment scoped to the app) lets Alex rotate that one
/// app until it ends; every misuse is refused and audited.
/// </summary>
public sealed class RequestingElevation : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost()
        .With("Authorization:PimEnabled", "true")
        .With("Authorization:PimRoleDefinitionId", "c0ffee00-0000-4000-8000-0000000000a1");
    private static readonly string SalesForecasting = DemoTenant.ObjectId(10);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
        await _bot.InstallAsync(BotHost.Alex, "Alex Wilber");
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task MeganApproves_AndAlexCanRotateThatOneApp_UntilTheGrantEnds()
    {
        var requested = await RequestAsync();
        Assert.Contains("sent to Megan Bowen", requested, StringComparison.Ordinal);
        Assert.Contains("You asked to rotate the credentials on Sales Forecasting for 2 hours", requested, StringComparison.Ordinal);
        Assert.Contains("Who decides: ", requested, StringComparison.Ordinal);
        var approval = await ApprovalCardAsync();
        Assert.Contains("Alex Wilber asks to rotate the credentials of Sales Forecasting for 2 hours", AllText(approval), StringComparison.Ordinal);
        Assert.Equal("viewRequest", approval.GetProperty("refresh").GetProperty("action").GetProperty("verb").GetString());
        Assert.Contains($"29:{BotHost.Megan}", approval.GetProperty("refresh").GetProperty("userIds").EnumerateArray().Select(u => u.GetString()));

        var decided = await _bot.ExecuteAsync("approveRequest", ButtonData(approval, "Approve"), BotHost.Megan, "Megan Bowen");

        var card = decided.GetProperty("value");
        Assert.Contains("Approved by Megan Bowen", AllText(card), StringComparison.Ordinal);
        Assert.False(HasButton(card, "Approve"));
        Assert.Contains(_bot.Connector.Calls, c => c.ConversationId == $"a:personal-{BotHost.Alex}" && AllText(c.Body).Contains("was approved by Megan Bowen", StringComparison.Ordinal));
        Assert.Contains(_bot.Connector.Calls, c => c.Method == "PUT" && c.ConversationId == $"a:personal-{BotHost.Megan}" && AllText(c.Body).Contains("Approved by Megan Bowen", StringComparison.Ordinal));
        var pim = Assert.Single(_bot.Tenant.RoleAssignmentRequests);
        Assert.Equal(("adminAssign", BotHost.Alex, "c0ffee00-0000-4000-8000-0000000000a1", "/" + SalesForecasting, TimeSpan.FromHours(2), "CHG-none"), (pim.Action, pim.PrincipalId, pim.RoleDefinitionId, pim.DirectoryScopeId, pim.Duration, pim.TicketNumber ?? "CHG-none"));
        Assert.Contains("A matching PIM assignment scoped to this app was created", AllText(_bot.Connector.Calls.Last(c => c.ConversationId == $"a:personal-{BotHost.Alex}").Body), StringComparison.Ordinal);
        Assert.True(await StatusOffersAsync("Sales Forecasting", "Rotate now"));
        Assert.False(await StatusOffersAsync("Customer Feedback Bot", "Rotate now"));

        _bot.Time.Advance(TimeSpan.FromHours(2).Add(TimeSpan.FromMinutes(1)));
        Assert.False(await StatusOffersAsync("Sales Forecasting", "Rotate now"));
        await _bot.RunJanitorAsync();

        var audit = await _bot.AuditAsync();
        Assert.Contains(audit, e => e is { Operation: "RequestElevation", Outcome: "Submitted", ActorObjectId: BotHost.Alex });
        Assert.Contains(audit, e => e is { Operation: "DecideRequest", Outcome: "Approved", ActorObjectId: BotHost.Megan });
        Assert.Contains(audit, e => e is { Operation: "GrantEnded" });
        Assert.Contains(_bot.Connector.Calls, c => AllText(c.Body).Contains("Your elevation (rotate credentials) ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRequester_CannotApproveTheirOwnRequest()
    {
        await RequestAsync();
        var approval = await ApprovalCardAsync();

        var answer = await _bot.ExecuteAsync("approveRequest", ButtonData(approval, "Approve"), BotHost.Alex, "Alex Wilber");

        Assert.Contains("cannot approve or deny your own request", AllText(answer), StringComparison.Ordinal);
        Assert.Equal(Domain.AccessRequestStatus.Pending, await StatusOfRequestAsync());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "DecideRequest", Outcome: "Refused", ActorObjectId: BotHost.Alex });
    }

    [Fact]
    public async Task SomeoneWhoIsNeitherOwnerNorAdmin_CannotDecide()
    {
        await RequestAsync();
        var approval = await ApprovalCardAsync();

        var answer = await _bot.ExecuteAsync("approveRequest", ButtonData(approval, "Approve"), DemoTenant.Adele, "Adele Vance");

        Assert.Contains("Only an Entra owner of Sales Forecasting, a technical owner of it with the ManageCredentials right, or a CredentialBot admin can approve an elevation to rotate credentials.", AllText(answer), StringComparison.Ordinal);
        Assert.Equal(Domain.AccessRequestStatus.Pending, await StatusOfRequestAsync());
    }

    [Fact]
    public async Task AStaleOrReplayedApproval_IsRefused_AndAudited()
    {
        await RequestAsync();
        var approve = ButtonData(await ApprovalCardAsync(), "Approve");
        await _bot.ExecuteAsync("approveRequest", approve, BotHost.Megan, "Megan Bowen");

        var replay = await _bot.ExecuteAsync("denyRequest", approve, BotHost.Megan, "Megan Bowen");

        Assert.Contains("already approved by Megan Bowen", AllText(replay), StringComparison.Ordinal);
        Assert.Equal(Domain.AccessRequestStatus.Approved, await StatusOfRequestAsync());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "DecideRequest", Outcome: "Refused", ActorObjectId: BotHost.Megan });
    }

    [Fact]
    public async Task TwoApproversClickingAtOnce_ProduceExactlyOneOutcome()
    {
        await RequestAsync();
        var data = ButtonData(await ApprovalCardAsync(), "Approve");

        await Task.WhenAll(
            _bot.ExecuteAsync("approveRequest", data, BotHost.Megan, "Megan Bowen"),
            _bot.ExecuteAsync("denyRequest", data, DemoTenant.Lynne, "Lynne Robbins"));

        var decisions = (await _bot.AuditAsync()).Where(e => e is { Operation: "DecideRequest", Outcome: "Approved" or "Denied" }).ToList();
        Assert.Single(decisions);
        await using var scope = _bot.Services.CreateAsyncScope();
        var grants = await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().Grants.CountAsync();
        Assert.Equal(decisions[0].Outcome == "Approved" ? 1 : 0, grants);
    }

    [Fact]
    public async Task AnApprovalWhoseAuditEventCannotBeWritten_LeavesTheRequestPending_AndGrantsNothing()
    {
        await RequestAsync();
        var approve = ButtonData(await ApprovalCardAsync(), "Approve");
        await _bot.RefuseAuditEventsAsync("DecideRequest");

        var answer = await _bot.ExecuteAsync("approveRequest", approve, BotHost.Megan, "Megan Bowen");

        Assert.Equal(500, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal(Domain.AccessRequestStatus.Pending, await StatusOfRequestAsync());
        await using var check = _bot.Services.CreateAsyncScope();
        Assert.Equal(0, await check.ServiceProvider.GetRequiredService<CredentialBotDbContext>().Grants.CountAsync());
    }

    [Fact]
    public async Task ADurationOverThePolicyMaximum_IsRefused_AndAudited()
    {
        var reply = await RequestAsync(("minutes", "100000"));

        Assert.Contains("longer than policy", reply, StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RequestElevation", Outcome: "Refused" });
        Assert.DoesNotContain(_bot.Connector.Calls, c => c.ConversationId == $"a:personal-{BotHost.Megan}" && HasApprove(c.Body));
    }

    [Fact]
    public async Task APolicyThatRequiresATicket_RefusesARequestWithoutOne()
    {
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
            var policy = (await policies.ListAsync()).Single(p => p.Name == PolicyStore.DefaultApplicationsPolicy);
            await policies.SaveAsync(policy with { Elevation = policy.Elevation with { TicketRequired = true } });
        }

        var reply = await RequestAsync();

        Assert.Contains("requires a ticket number", reply, StringComparison.Ordinal);
        Assert.Contains("sent to Megan Bowen", await RequestAsync(("ticket", "CHG0012345")), StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RequestElevation", Outcome: "Submitted", Ticket: "CHG0012345" });
    }

    [Fact]
    public async Task ThePolicysApprovalChannel_GetsTheCard_AndEveryCopyIsRedrawnAfterTheDecision()
    {
        const string channel = "19:general@thread.tacv2";
        await _bot.AddToTeamAsync(channel);
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
            var policy = (await policies.ListAsync()).Single(p => p.Name == PolicyStore.DefaultApplicationsPolicy);
            await policies.SaveAsync(policy with { ApprovalChannelId = channel });
        }

        Assert.Contains("sent to the approval channel", await RequestAsync(), StringComparison.Ordinal);
        var posted = Assert.Single(_bot.Connector.Calls, c => c.Method == "POST" && c.ConversationId == channel && HasApprove(c.Body));

        await _bot.ExecuteAsync("approveRequest", ButtonData(posted.Cards[0], "Approve"), BotHost.Megan, "Megan Bowen", channel);

        Assert.Contains(_bot.Connector.Calls, c => c.Method == "PUT" && c.ConversationId == channel && AllText(c.Body).Contains("Approved by Megan Bowen", StringComparison.Ordinal));
    }

    private async Task<string> RequestAsync(params (string Id, string Value)[] inputs)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("elevate Sales Forecasting");
        // One step (issue 17): the right Alex lacks is obvious, so "elevate" answers with the form itself.
        var form = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        Assert.Contains("Request elevation on Sales Forecasting", AllText(form), StringComparison.Ordinal);
        var answer = await _bot.ExecuteAsync("dialog", Submit(form, "Send for approval", [("justification", "Rotate before Friday's release"), .. inputs])["data"]!, BotHost.Alex, "Alex Wilber");
        return AllText(answer.GetProperty("value"));
    }

    private async Task<JsonElement> ApprovalCardAsync()
    {
        var call = await Eventually.WaitAsync(() => _bot.Connector.Calls.LastOrDefault(c => c.Method == "POST" && c.ConversationId == $"a:personal-{BotHost.Megan}" && HasApprove(c.Body)));
        return call.Cards[0];
    }

    private static bool HasApprove(JsonElement body) => body.TryGetProperty("attachments", out _) && AllText(body).Contains("Approve", StringComparison.Ordinal);

    private async Task<bool> StatusOffersAsync(string app, string button)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync($"status {app}");
        if (_bot.Connector.Calls.Count == before)
        {
            throw new InvalidOperationException(string.Join("\n", _bot.Logs.Lines.Where(l => l.Contains("Exception", StringComparison.Ordinal)).Take(3)));
        }

        return HasButton((await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0], button);
    }

    private async Task<Domain.AccessRequestStatus> StatusOfRequestAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().AccessRequests.Select(r => r.Status).SingleAsync();
    }
}
