using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// A person made an owner — in chat, by a CSV import — gets one card in their 1:1 chat: which app, what they are
/// accountable for, what they may do, with the buttons; nobody is told twice, and nobody about making themselves one.
/// </summary>
public sealed class TellingNewOwners : IAsyncLifetime
{
    private const string Csv = """
        app,kind,person,ManageCredentials
        1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,isaiah@example.com,true
        5f0c1a2b-7d3e-4a51-9b2c-000000000007,business,lynner@example.com,false
        """;

    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private readonly BotHost _bot = new BotHost().With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.InstallAsync(DemoTenant.Lynne, "Lynne Robbins");
        await _bot.InstallAsync(DemoTenant.Isaiah, "Isaiah Langer");
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task APersonAddedInChat_GetsOneCard_SayingWhatTheyAreAccountableFor_AndWhatTheyMayDo()
    {
        await AddOwnerAsync(("person", "lynner@example.com"), ("kind", "business"));

        var card = Assert.Single(CardsTo(DemoTenant.Lynne));
        var text = AllText(card);
        Assert.Contains("You are now a business owner of Payroll API", text, StringComparison.Ordinal);
        Assert.Contains("Added by Alex Wilber", text, StringComparison.Ordinal);
        Assert.Contains("What you are accountable for", text, StringComparison.Ordinal);
        Assert.Contains("request elevation to rotate", text, StringComparison.Ordinal);
        Assert.True(HasButton(card, "Request elevation"));
        Assert.True(HasButton(card, "Transfer my ownership"));
        Assert.Equal(Payroll, ButtonData(card, "Transfer my ownership")["app"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATechnicalOwnerWhoMayManageCredentials_IsOfferedRotateNow()
    {
        await AddOwnerAsync(("person", "isaiah@example.com"), ("kind", "technical-rotate"));

        var card = Assert.Single(CardsTo(DemoTenant.Isaiah));
        Assert.Contains("You may rotate its secrets and certificates here", AllText(card), StringComparison.Ordinal);
        Assert.True(HasButton(card, "Rotate now"));
    }

    [Fact]
    public async Task NobodyIsToldAboutMakingThemselvesAnOwner()
    {
        await _bot.InstallAsync(BotHost.Alex, "Alex Wilber");
        var before = CardsTo(BotHost.Alex).Count;

        await AddOwnerAsync(("person", "alexw@example.com"), ("kind", "business"));

        Assert.Equal(before, CardsTo(BotHost.Alex).Count);
    }

    [Fact]
    public async Task PeopleImportedFromACsv_AreEachToldOnce_AfterTheImport()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync($"import owners\n{Csv}", BotHost.Megan, "Megan Bowen");
        var preview = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        Assert.Empty(CardsTo(DemoTenant.Isaiah));

        await _bot.ExecuteAsync("importOwners", ButtonData(preview, "Import 2 owners"), BotHost.Megan, "Megan Bowen");

        Assert.Contains("You are now a technical owner", AllText(Assert.Single(CardsTo(DemoTenant.Isaiah))), StringComparison.Ordinal);
        Assert.Contains("Imported from a CSV file by Megan Bowen", AllText(Assert.Single(CardsTo(DemoTenant.Lynne))), StringComparison.Ordinal);
    }

    private List<System.Text.Json.JsonElement> CardsTo(string person) =>
        [.. _bot.Connector.Calls.Where(c => c.Method == "POST" && c.ConversationId == $"a:personal-{person}" && c.Cards.Count > 0 && AllText(c.Cards[0]).Contains("You are now", StringComparison.Ordinal)).Select(c => c.Cards[0])];

    private async Task AddOwnerAsync(params (string Id, string Value)[] inputs)
    {
        var button = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "owner", ["app"] = Payroll, ["mode"] = "add" };
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = button }, BotHost.Alex, "Alex Wilber");
        await _bot.InvokeAsync("task/submit", Submit(DialogCard(opened), "Submit", inputs), BotHost.Alex, "Alex Wilber");
    }
}
