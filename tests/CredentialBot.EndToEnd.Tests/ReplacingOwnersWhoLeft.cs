using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// An owner disabled or deleted in the directory is noticed by the janitor: the remaining owners each get one card
/// asking them to replace the person, with a Replace button, and if nobody does within the policy's time (or nobody
/// active is left) the admin channel hears of it once. Patti Fernandez is the demo's business owner of Payroll API and
/// Contoso Expenses and technical owner of Finance Reconciliation; Diego Siciliani, Marketing Analytics' only owner, is
/// disabled from the start.
/// </summary>
public sealed class ReplacingOwnersWhoLeft : IAsyncLifetime
{
    private const string AdminChannel = "19:admins@thread.tacv2";
    private static readonly string PayrollApi = DemoTenant.ObjectId(1);
    private static readonly string ContosoExpenses = DemoTenant.ObjectId(2);
    private static readonly string FinanceReconciliation = DemoTenant.ObjectId(17);
    private static readonly string MarketingAnalytics = DemoTenant.ObjectId(8);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromHours(1);

    private readonly BotHost _bot = new BotHost()
        .With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup)
        .With("Notifications:AdminChannelConversationId", AdminChannel);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.AddToTeamAsync(AdminChannel);
        await _bot.InstallAsync(BotHost.Alex, "Alex Wilber");
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task ADisabledBusinessAndTechnicalOwner_EachRemainingOwnerGetsOneCard_ListingEveryAppToReplaceThemOn()
    {
        Disable(DemoTenant.Patti);

        await _bot.RunJanitorAsync();

        var alex = Assert.Single(ReplaceCardsTo(BotHost.Alex));
        var text = AllText(alex);
        Assert.Contains("Patti Fernandez can no longer look after 2 apps you own", text, StringComparison.Ordinal);
        Assert.Contains("Payroll API", text, StringComparison.Ordinal);
        Assert.Contains("Contoso Expenses", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Finance Reconciliation", text, StringComparison.Ordinal);
        Assert.Contains("disabled in the directory", text, StringComparison.Ordinal);
        Assert.Contains("Replace by", text, StringComparison.Ordinal);

        var megan = AllText(Assert.Single(ReplaceCardsTo(BotHost.Megan)));
        Assert.Contains("Payroll API", megan, StringComparison.Ordinal);
        Assert.Contains("Finance Reconciliation", megan, StringComparison.Ordinal);
        Assert.DoesNotContain("Contoso Expenses", megan, StringComparison.Ordinal);

        var replace = ButtonData(alex, "Replace Patti Fernandez");
        Assert.Equal(DemoTenant.Patti, replace["subject"]!.GetValue<string>());
        Assert.Equal("transfer", replace["mode"]!.GetValue<string>());

        var asked = await PattiEventsAsync("AskOwnerReplacement");
        Assert.Equal(3, asked.Count);
        Assert.All(asked, e => Assert.Equal("CredentialBot", e.ActorObjectId));
    }

    [Fact]
    public async Task LaterRounds_AndRoundsOnOtherInstances_NeverAskTwice()
    {
        Disable(DemoTenant.Patti);
        await _bot.RunJanitorAsync();
        var cards = AllReplaceCards();

        // The same hour on another instance: the look is once per interval.
        await _bot.RunJanitorAsync();

        // The next interval: the departures are known, so nobody is asked again.
        _bot.Time.Advance(CheckInterval);
        await _bot.RunJanitorAsync();
        _bot.Time.Advance(CheckInterval);
        await Task.WhenAll(_bot.RunJanitorAsync(), _bot.RunJanitorAsync());

        Assert.Equal(cards, AllReplaceCards());
        Assert.Equal(3, (await PattiEventsAsync("AskOwnerReplacement")).Count);
    }

    [Fact]
    public async Task HundredsLeavingAtOnce_AreEachClaimedOnceWithTheirEvent_OverSeveralChanges_AndTheChainVerifies()
    {
        // More departures than one change claims (OwnerDepartures.ClaimsPerChange), all found in the same round.
        var now = _bot.Time.GetUtcNow();
        for (var i = 0; i < 250; i++)
        {
            _bot.Tenant.Add(new SimObject
            {
                Id = $"7e7e7e7e-0000-4000-8000-{i:D12}",
                AppId = $"7f7f7f7f-0000-4000-8000-{i:D12}",
                DisplayName = $"Left App {i:D3}",
                Kind = SimObjectKind.Application,
                CreatedDateTime = now,
                OwnerIds = [DemoTenant.Patti, BotHost.Alex],
            });
        }

        Disable(DemoTenant.Patti);
        await _bot.ScanAndSeedAsync();
        await _bot.RunJanitorAsync();
        _bot.Time.Advance(CheckInterval);
        await Task.WhenAll(_bot.RunJanitorAsync(), _bot.RunJanitorAsync());

        var asked = await PattiEventsAsync("AskOwnerReplacement");
        Assert.Equal(253, asked.Count);
        Assert.Equal(253, asked.Select(e => e.AppObjectId).Distinct().Count());
        Assert.Contains("Patti Fernandez can no longer look after 252 apps you own", AllText(Assert.Single(ReplaceCardsTo(BotHost.Alex))), StringComparison.Ordinal);
        await using var scope = _bot.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task NobodyReplacesThemInThePolicysTime_TheAdminChannelHearsOnce()
    {
        Disable(DemoTenant.Patti);
        await _bot.RunJanitorAsync();
        var before = AdminCards().Count;

        _bot.Time.Advance(TimeSpan.FromDays(13));
        await _bot.RunJanitorAsync();
        Assert.Equal(before, AdminCards().Count);

        _bot.Time.Advance(TimeSpan.FromDays(1) + CheckInterval);
        await _bot.RunJanitorAsync();
        _bot.Time.Advance(CheckInterval);
        await _bot.RunJanitorAsync();

        var card = AllText(Assert.Single(AdminCards().Skip(before)));
        Assert.Contains("3 owners who left were not replaced", card, StringComparison.Ordinal);
        Assert.Contains("Patti Fernandez (business owner, disabled)", card, StringComparison.Ordinal);
        Assert.Contains("the policy's 14 days", card, StringComparison.Ordinal);
        Assert.Equal(3, (await PattiEventsAsync("OwnerNotReplaced")).Count);
    }

    [Fact]
    public async Task AnOwnerReplacedInTime_IsNotEscalated()
    {
        Disable(DemoTenant.Patti);
        await _bot.RunJanitorAsync();
        var alexCard = Assert.Single(ReplaceCardsTo(BotHost.Alex));

        // Megan is an admin: her transfer of Patti's business ownership of Contoso Expenses to Lynne applies at once.
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ReplaceButtonFor(alexCard, ContosoExpenses) }, BotHost.Megan, "Megan Bowen");
        var (_, done) = await _bot.InvokeAsync("task/submit", Submit(DialogCard(opened), "Submit", ("person", "lynner@example.com"), ("kind", "business")), BotHost.Megan, "Megan Bowen");
        Assert.Contains("Lynne Robbins", DialogMessage(done), StringComparison.Ordinal);

        _bot.Time.Advance(TimeSpan.FromDays(15));
        await _bot.RunJanitorAsync();

        var escalated = (await _bot.AuditAsync()).Where(e => e.Operation == "OwnerNotReplaced").Select(e => e.AppObjectId).ToList();
        Assert.DoesNotContain(ContosoExpenses, escalated);
        Assert.Contains(PayrollApi, escalated);
        Assert.Contains(FinanceReconciliation, escalated);
    }

    [Fact]
    public async Task ADeletedOwner_IsSaidToBeDeleted()
    {
        _bot.Tenant.RemoveUser(DemoTenant.Patti);

        await _bot.RunJanitorAsync();

        Assert.Contains("deleted from the directory", AllText(Assert.Single(ReplaceCardsTo(BotHost.Alex))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAppWithNobodyActiveLeft_GoesToTheAdminsAtOnce()
    {
        await _bot.RunJanitorAsync();

        var card = AllText(Assert.Single(AdminCards()));
        Assert.Contains("Marketing Analytics", card, StringComparison.Ordinal);
        Assert.Contains("Nobody active is left to replace them.", card, StringComparison.Ordinal);
        Assert.Empty(AllReplaceCards());
        Assert.Contains((await _bot.AuditAsync()), e => e.Operation == "OwnerNotReplaced" && e.AppObjectId == MarketingAnalytics && e.Outcome == "Succeeded");
    }

    [Fact]
    public async Task AnOwnerEnabledAgain_IsForgotten_AndLeavingAgainIsNewsAgain()
    {
        Disable(DemoTenant.Patti);
        await _bot.RunJanitorAsync();
        _bot.Tenant.AddUser(_bot.Tenant.FindUser(DemoTenant.Patti)! with { AccountEnabled = true });
        _bot.Time.Advance(CheckInterval);
        await _bot.RunJanitorAsync();

        _bot.Time.Advance(TimeSpan.FromDays(20));
        await _bot.RunJanitorAsync();
        Assert.DoesNotContain((await _bot.AuditAsync()), e => e.Operation == "OwnerNotReplaced" && e.AppObjectId == PayrollApi);

        Disable(DemoTenant.Patti);
        _bot.Time.Advance(CheckInterval);
        await _bot.RunJanitorAsync();
        Assert.Equal(2, ReplaceCardsTo(BotHost.Alex).Count);
    }

    [Fact]
    public async Task TheDirectoryUnreachable_MarksNobodyDeleted()
    {
        await _bot.Simulator.DisposeAsync();

        await _bot.RunJanitorAsync();

        Assert.Empty(AllReplaceCards());
        Assert.Empty(await PattiEventsAsync("AskOwnerReplacement"));
    }

    private async Task<List<CredentialBot.Domain.AuditEvent>> PattiEventsAsync(string operation) =>
        [.. (await _bot.AuditAsync()).Where(e => e.Operation == operation && e.Reason!.Contains("Patti Fernandez", StringComparison.Ordinal))];

    private void Disable(string person) => _bot.Tenant.AddUser(_bot.Tenant.FindUser(person)! with { AccountEnabled = false });

    private static JsonObject ReplaceButtonFor(JsonElement card, string app)
    {
        var buttons = JsonNode.Parse(card.GetRawText())!.AsObject()["body"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "ActionSet")
            .SelectMany(e => e!["actions"]!.AsArray())
            .Where(a => a!["title"]!.GetValue<string>() == "Replace Patti Fernandez" && a["data"]!["app"]!.GetValue<string>() == app)
            .ToList();
        return (JsonObject)Assert.Single(buttons)!["data"]!.DeepClone();
    }

    private List<JsonElement> ReplaceCardsTo(string person) =>
        [.. _bot.Connector.Calls.Where(c => c.Method == "POST" && c.ConversationId == $"a:personal-{person}" && c.Cards.Count > 0 && AllText(c.Cards[0]).Contains("can no longer look after", StringComparison.Ordinal)).Select(c => c.Cards[0])];

    private List<string> AllReplaceCards() =>
        [.. _bot.Connector.Calls.Where(c => c.Cards.Count > 0 && AllText(c.Cards[0]).Contains("can no longer look after", StringComparison.Ordinal)).Select(c => $"{c.ConversationId}: {c.Cards[0].GetRawText()}")];

    private List<JsonElement> AdminCards() =>
        [.. _bot.Connector.Calls.Where(c => c.Method == "POST" && c.ConversationId == AdminChannel && c.Cards.Count > 0 && AllText(c.Cards[0]).Contains("not replaced", StringComparison.Ordinal)).Select(c => c.Cards[0])];
}
