using System.Text.Json;
using CredentialBot.Simulator;
using Microsoft.Extensions.Logging;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Admins given as groups are asked 1:1 too when no owner of the app can be reached: the people of the admin group,
/// found through nested groups; a group too big to ask person by person is left to an approval
/// channel, and says so in the log.
/// </summary>
public sealed class AskingAdminGroupsWhenNoOwnerAnswers : IAsyncLifetime
{
    private const string Admins = "b0b0b0b0-0000-4000-8000-000000000001";
    private const string Operators = "b0b0b0b0-0000-4000-8000-000000000002";
    private const string Everyone = "b0b0b0b0-0000-4000-8000-000000000003";

    private readonly BotHost _bot = new BotHost()
        .With("Authorization:AdminGroupIds:0", Admins)
        .With("Authorization:AdminGroupIds:1", Everyone);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();

        // Isaiah is an admin through a nested group, Adele directly but without the bot. Everyone (Patti and 25
        // engineers) is too big a group to ask 1:1. Megan owns Sales Forecasting but never installed the bot.
        _bot.Tenant.AddGroup(new SimGroup(Operators, "Identity Operators", [DemoTenant.Isaiah]));
        _bot.Tenant.AddGroup(new SimGroup(Admins, "CredentialBot Admins", [Operators, DemoTenant.Adele]));
        _bot.Tenant.AddGroup(new SimGroup(Everyone, "Everyone", [DemoTenant.Patti, .. _bot.Tenant.Users.Where(u => u.DisplayName.StartsWith("Platform Engineer", StringComparison.Ordinal)).Select(u => u.Id)]));
        await _bot.InstallAsync(BotHost.Alex, "Alex Wilber");
        await _bot.InstallAsync(DemoTenant.Isaiah, "Isaiah Langer");
        await _bot.InstallAsync(DemoTenant.Patti, "Patti Fernandez");
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task ThePeopleOfAnAdminGroup_AreAsked_AndOneOfThemApproves()
    {
        var sent = await _bot.RequestAsync("Sales Forecasting");

        Assert.Contains("sent to 1 admin", sent, StringComparison.Ordinal);
        var isaiah = _bot.ApprovalCardFor(DemoTenant.Isaiah);
        Assert.NotNull(isaiah);
        Assert.Null(_bot.ApprovalCardFor(BotHost.Alex));

        var decided = await _bot.ExecuteAsync("approveRequest", ButtonData(isaiah.Value, "Approve"), DemoTenant.Isaiah, "Isaiah Langer");

        Assert.Contains("Approved by Isaiah Langer", AllText(decided.GetProperty("value")), StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "DecideRequest", Outcome: "Approved", ActorObjectId: DemoTenant.Isaiah });
    }

    [Fact]
    public async Task AGroupTooBigToAskPersonByPerson_IsNotAsked_AndTheLogSaysWhy()
    {
        await _bot.RequestAsync("Sales Forecasting");

        Assert.Null(_bot.ApprovalCardFor(DemoTenant.Patti));
        Assert.Contains(_bot.Logs.AtLeast(LogLevel.Warning), line => line.Contains($"Admin group {Everyone} has more than 25 people", StringComparison.Ordinal));
    }
}
