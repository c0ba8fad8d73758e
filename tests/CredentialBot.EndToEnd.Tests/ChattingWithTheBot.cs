using System.Net;
using System.Text.Json;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Connector;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>A developer installs CredentialBot and asks about their apps, through the real protocol and JWT validation.</summary>
public sealed class ChattingWithTheBot : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task Install_GreetsOnceWithAWelcomeCardInThePersonalChat()
    {
        var first = await _bot.InstallAsync();
        var again = await _bot.InstallAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var call = Assert.Single(await _bot.Connector.WaitForCallsAsync(1));
        Assert.Equal($"a:personal-{BotHost.Alex}", call.ConversationId);
        Assert.Contains("CredentialBot", CardText(Assert.Single(call.Cards)), StringComparison.Ordinal);
        Assert.Equal("Bearer outbound-test-token", call.Authorization);
    }

    [Fact]
    public async Task Help_ListsEveryCommand()
    {
        await _bot.SendMessageAsync("help");

        var text = CardText(Assert.Single((await _bot.Connector.WaitForCallsAsync(1))[0].Cards));
        Assert.Contains("my apps", text, StringComparison.Ordinal);
        Assert.Contains("status *app name or appId*", text, StringComparison.Ordinal);
        Assert.Contains("help", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MyApps_ListsEveryAppAlexOwnsInAnyKind_MostUrgentFirst()
    {
        await _bot.SendMessageAsync("My   Apps");

        var call = (await _bot.Connector.WaitForCallsAsync(1))[0];
        var text = CardText(Assert.Single(call.Cards));
        var expected = await OwnedByAsync(BotHost.Alex);
        Assert.True(expected.Count >= 3, "the demo tenant gives Alex several apps");
        foreach (var app in expected)
        {
            Assert.Contains(app.DisplayName, text, StringComparison.Ordinal);
        }

        var positions = expected.OrderBy(a => a.NearestExpiry?.EndsAt ?? DateTimeOffset.MaxValue).Select(a => text.IndexOf(a.DisplayName, StringComparison.Ordinal)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("expired", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddingTheBotToATeam_GreetsTheChannel_AndRemembersIt()
    {
        var added = _bot.Activity("conversationUpdate", BotHost.Megan, "Megan Bowen", "19:general@thread.tacv2", "channel", a =>
        {
            a["membersAdded"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = $"28:{BotHost.BotAppId}" });
            a["channelData"]!["eventType"] = "teamMemberAdded";
            a["channelData"]!["team"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "19:general@thread.tacv2", ["name"] = "Platform" };
        });

        await _bot.PostAsync(added);

        var call = Assert.Single(await _bot.Connector.WaitForCallsAsync(1));
        Assert.Equal("19:general@thread.tacv2", call.ConversationId);
        Assert.Contains("@mention", CardText(Assert.Single(call.Cards)), StringComparison.Ordinal);
        using var scope = _bot.Services.CreateScope();
        var channel = Assert.Single(await scope.ServiceProvider.GetRequiredService<CredentialBot.Store.Services.ConversationReferenceStore>().ListChannelsAsync());
        Assert.Equal("19:general@thread.tacv2", channel.TeamId);
        Assert.Null(channel.UserObjectId);
    }

    [Fact]
    public async Task SomeoneElseJoiningATeam_IsNotGreeted()
    {
        var joined = _bot.Activity("conversationUpdate", BotHost.Megan, "Megan Bowen", "19:general@thread.tacv2", "channel", a =>
            a["membersAdded"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = "29:someone-new" }));

        Assert.Equal(HttpStatusCode.OK, (await _bot.PostAsync(joined)).StatusCode);
        await _bot.SendMessageAsync("help");
        Assert.Equal($"a:personal-{BotHost.Alex}", Assert.Single(await _bot.Connector.WaitForCallsAsync(1)).ConversationId);
    }

    [Fact]
    public async Task TheWelcomeCardsMyAppsButton_RunsMyApps()
    {
        await _bot.InstallAsync();
        var welcome = Assert.Single((await _bot.Connector.WaitForCallsAsync(1))[0].Cards);
        var button = welcome.GetProperty("actions").EnumerateArray().First(a => a.GetProperty("title").GetString() == "My apps");

        await _bot.PressButtonAsync(System.Text.Json.Nodes.JsonNode.Parse(button.GetProperty("data").GetRawText())!);

        var reply = (await _bot.Connector.WaitForCallsAsync(2))[1];
        Assert.Contains("Payroll API", CardText(Assert.Single(reply.Cards)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASubmitThatIsNotACommand_IsIgnored()
    {
        await _bot.PressButtonAsync(new System.Text.Json.Nodes.JsonObject { ["command"] = new string('x', 5000) });
        await _bot.PressButtonAsync(new System.Text.Json.Nodes.JsonObject { ["something"] = "else" });
        await _bot.SendMessageAsync("help");

        var calls = await _bot.Connector.WaitForCallsAsync(1);
        Assert.Single(calls);
        Assert.Contains("help", CardText(Assert.Single(calls[0].Cards)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MyApps_ForSomeoneWhoOwnsNothing_SaysSo()
    {
        await _bot.SendMessageAsync("my apps", userObjectId: "not-an-owner-anywhere", userName: "Guest");

        var text = CardText(Assert.Single((await _bot.Connector.WaitForCallsAsync(1))[0].Cards));
        Assert.Contains("not an owner of any app", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ByExactName_ShowsCredentialsOwnersAndFindings()
    {
        var app = (await OwnedByAsync(BotHost.Alex)).First(a => a.Credentials.Count > 0);

        await _bot.SendMessageAsync($"status {app.DisplayName}");

        var text = CardText(Assert.Single((await _bot.Connector.WaitForCallsAsync(1))[0].Cards));
        Assert.Contains(app.AppId, text, StringComparison.Ordinal);
        Assert.All(app.Credentials, c => Assert.Contains(c.DisplayName!, text, StringComparison.Ordinal));
        Assert.Contains("Entra owners", text, StringComparison.Ordinal);
        Assert.Contains("Technical owners", text, StringComparison.Ordinal);
        Assert.Contains("Findings", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ByAppId_ShowsThatApp()
    {
        var app = (await OwnedByAsync(BotHost.Alex))[0];

        await _bot.SendMessageAsync($"status {app.AppId}");

        var text = CardText(Assert.Single((await _bot.Connector.WaitForCallsAsync(1))[0].Cards));
        Assert.Contains(app.DisplayName, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ByANameOtherNamesContain_ShowsThatApp_AndAPartOfItOffersBoth()
    {
        await _bot.SendMessageAsync("status PAYROLL API");

        var exact = CardText(Assert.Single((await _bot.Connector.WaitForCallsAsync(1))[0].Cards));
        Assert.Contains(DemoTenant.AppId(1), exact, StringComparison.Ordinal);
        Assert.DoesNotContain("Which app did you mean?", exact, StringComparison.Ordinal);

        await _bot.SendMessageAsync("status payroll");

        var choices = CardText(Assert.Single((await _bot.Connector.WaitForCallsAsync(2))[1].Cards));
        Assert.Contains("Which app did you mean?", choices, StringComparison.Ordinal);
        Assert.Contains("Payroll API (Staging)", choices, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AmbiguousName_OffersTheChoices()
    {
        var names = _bot.Tenant.Applications.Select(a => a.DisplayName).ToList();
        var fragment = MostSharedWord(names);

        await _bot.SendMessageAsync($"status {fragment}");

        var text = CardText(Assert.Single((await _bot.Connector.WaitForCallsAsync(1))[0].Cards));
        Assert.Contains("Which app did you mean?", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownApp_SaysNothingMatches()
    {
        await _bot.SendMessageAsync("status no-such-app-anywhere");

        var call = (await _bot.Connector.WaitForCallsAsync(1))[0];
        Assert.Contains("No app matches 'no-such-app-anywhere'", call.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_GetsAHintTowardHelp()
    {
        await _bot.SendMessageAsync("rotate everything please");

        var call = (await _bot.Connector.WaitForCallsAsync(1))[0];
        Assert.Contains("help", call.Text, StringComparison.Ordinal);
        Assert.Empty(call.Cards);
    }

    [Fact]
    public async Task ChannelMention_AnswersInTheChannelWithTheMentionStripped()
    {
        await _bot.SendChannelMessageAsync("help");

        var call = (await _bot.Connector.WaitForCallsAsync(1))[0];
        Assert.Equal("19:general@thread.tacv2", call.ConversationId);
        Assert.Contains("What I can do", CardText(Assert.Single(call.Cards)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAndReadiness_AnswerOk()
    {
        Assert.Equal(HttpStatusCode.OK, (await _bot.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _bot.Client.GetAsync("/readyz")).StatusCode);
    }

    private async Task<IReadOnlyList<App>> OwnedByAsync(string objectId)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialBot.Store.Services.AppCatalog>().ListOwnedByAsync(objectId, CancellationToken.None);
    }

    private static string MostSharedWord(IEnumerable<string> names) =>
        names.SelectMany(n => n.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 3)
            .GroupBy(w => w, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count())
            .First(g => g.Count() > 1).Key;

    /// <summary>Every string value in a card, joined: what a reader of the card would see.</summary>
    internal static string CardText(JsonElement card)
    {
        var parts = new List<string>();
        Collect(card, parts);
        return string.Join("\n", parts);

        static void Collect(JsonElement element, List<string> parts)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value, parts);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, parts);
                    }

                    break;
                case JsonValueKind.String:
                    parts.Add(element.GetString()!.Replace("\\", string.Empty, StringComparison.Ordinal));
                    break;
                default:
                    break;
            }
        }
    }
}
