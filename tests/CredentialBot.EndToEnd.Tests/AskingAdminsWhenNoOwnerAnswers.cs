using System.Text.Json;
using CredentialBot.Simulator;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// A request for an App whose owners cannot be reached in Teams (none installed the bot) and whose policy names no
/// approval channel goes to the people who may decide instead of nowhere: the global admins and the scoped admins
/// whose scope covers the App, never the requester, never a scoped admin of other Apps.
/// </summary>
public sealed class AskingAdminsWhenNoOwnerAnswers : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost()
        .With("Authorization:AdminObjectIds:0", DemoTenant.Isaiah)
        .With("AdminScopes:Scopes:0:Name", "Sales")
        .With("AdminScopes:Scopes:0:People:0", DemoTenant.Adele)
        .With("AdminScopes:Scopes:0:Apps:0", "name:Sales*")
        .With("AdminScopes:Scopes:1:Name", "Payroll")
        .With("AdminScopes:Scopes:1:People:0", DemoTenant.Patti)
        .With("AdminScopes:Scopes:1:Apps:0", "name:Payroll*");

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();

        // Megan owns Sales Forecasting but never installed the bot; Lynne, its business owner, may not decide.
        await _bot.InstallAsync(BotHost.Alex, "Alex Wilber");
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task TheAdminsWhoMayDecide_AreAsked_AndAScopedAdminApproves()
    {
        await _bot.InstallAsync(DemoTenant.Isaiah, "Isaiah Langer");
        await _bot.InstallAsync(DemoTenant.Adele, "Adele Vance");
        await _bot.InstallAsync(DemoTenant.Patti, "Patti Fernandez");

        var sent = await _bot.RequestAsync("Sales Forecasting");

        Assert.Contains("sent to 2 admins (none of the app's owners can be reached in Teams)", sent, StringComparison.Ordinal);
        var adele = _bot.ApprovalCardFor(DemoTenant.Adele);
        Assert.NotNull(_bot.ApprovalCardFor(DemoTenant.Isaiah));
        Assert.Null(_bot.ApprovalCardFor(DemoTenant.Patti));
        Assert.Null(_bot.ApprovalCardFor(BotHost.Alex));
        Assert.Contains($"29:{DemoTenant.Adele}", adele!.Value.GetProperty("refresh").GetProperty("userIds").EnumerateArray().Select(u => u.GetString()));

        var decided = await _bot.ExecuteAsync("approveRequest", ButtonData(adele.Value, "Approve"), DemoTenant.Adele, "Adele Vance");

        Assert.Contains("Approved by Adele Vance", AllText(decided.GetProperty("value")), StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "DecideRequest", Outcome: "Approved", ActorObjectId: DemoTenant.Adele });
        Assert.Contains(_bot.Connector.Calls, c => c.Method == "PUT" && c.ConversationId == $"a:personal-{DemoTenant.Isaiah}" && AllText(c.Body).Contains("Approved by Adele Vance", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenNoAdminCanBeReachedEither_TheRequesterIsToldWhoMayDecide_AndItIsAuditedAsUndeliverable()
    {
        var sent = await _bot.RequestAsync("Sales Forecasting");

        Assert.Contains("no approver could be reached", sent, StringComparison.Ordinal);
        Assert.Contains("none of those owners or admins has the bot installed", sent, StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RequestElevation", Outcome: "Undeliverable", ActorObjectId: BotHost.Alex });
    }
}
