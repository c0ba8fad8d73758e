using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.BotFramework;
using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Schema;
using CredentialBot.TestKit.Schemas;

namespace CredentialBot.BotFramework.Tests.Cards;

/// <summary>
/// The card model writes what the Adaptive Cards 1.5 schema and Teams expect. One card uses every element and
/// action the product needs; its JSON is pinned (UPDATE_GOLDEN=1 rewrites it) and checked against the schema.
/// </summary>
public sealed class AdaptiveCardModelTests
{
    private static readonly string GoldenPath = Path.Combine(SourceDirectory(), "Golden", "every-element.card.json");

    [Fact]
    public void EveryElement_SerializesAsPinned()
    {
        var json = Serialize(EveryElement());

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(GoldenPath, JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(GoldenPath)), JsonNode.Parse(json)), json);
    }

    [Fact]
    public async Task EveryElement_IsValidAdaptiveCard15()
    {
        Assert.Empty(await OfficialSchemas.ValidateCardAsync(Serialize(EveryElement())));
    }

    [Fact]
    public async Task TheSchemaCheck_CatchesAMistake()
    {
        var broken = JsonNode.Parse(Serialize(EveryElement()))!;
        broken["body"]![0]!["weight"] = "Heavy";

        Assert.NotEmpty(await OfficialSchemas.ValidateCardAsync(broken.ToJsonString()));
    }

    [Fact]
    public void EveryAction_WritesItsType_IncludingARefreshAction()
    {
        var card = JsonNode.Parse(Serialize(EveryElement()))!;

        Assert.Equal("Action.Execute", (string?)card["refresh"]!["action"]!["type"]);
        Assert.All(card["actions"]!.AsArray(), a => Assert.StartsWith("Action.", (string?)a!["type"], StringComparison.Ordinal));
    }

    [Fact]
    public void TheTypeAndVersion_ComeFirst()
    {
        var json = Serialize(new AdaptiveCard { Body = [new TextBlock { Text = "x" }] });

        Assert.StartsWith("""{"type":"AdaptiveCard","version":"1.5",""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ACardAttachment_CarriesTheCardAsContent()
    {
        var attachment = Attachment.ForCard(new AdaptiveCard { Body = [new TextBlock { Text = "x" }] });

        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        Assert.Equal("AdaptiveCard", attachment.Content!.Json.GetProperty("type").GetString());
    }

    [Fact]
    public void ACardAttachment_IsWrittenAsTheCardItself_InTheActivity()
    {
        var card = EveryElement();
        var activity = new Activity { Type = "message", Attachments = [Attachment.ForCard(card)] };

        var sent = JsonNode.Parse(JsonSerializer.Serialize(activity, BotJsonContext.Default.Activity))!;

        Assert.Equal(Serialize(card), sent["attachments"]![0]!["content"]!.ToJsonString());
    }

    [Fact]
    public void AnAttachmentThatArrived_IsSentOnVerbatim_AndReadsAsJson()
    {
        const string content = """{"type":"AdaptiveCard","version":"1.5","body":[],"x-unknown":{"kept":[1,2.50,"three"]}}""";
        var arrived = JsonSerializer.Deserialize($$"""{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{{content}}}]}""", BotJsonContext.Default.Activity)!;

        var sentOn = JsonNode.Parse(JsonSerializer.Serialize(arrived, BotJsonContext.Default.Activity))!;

        Assert.Equal(content, sentOn["attachments"]![0]!["content"]!.ToJsonString());
        Assert.Equal(2.50m, arrived.Attachments![0].Content!.Json.GetProperty("x-unknown").GetProperty("kept")[1].GetDecimal());
    }

    [Fact]
    public void ACard_ReadsBackIntoTheModel()
    {
        var json = Serialize(EveryElement());

        var card = JsonSerializer.Deserialize(json, BotJsonContext.Default.AdaptiveCard)!;

        Assert.Equal(json, Serialize(card));
    }

    private static string Serialize(AdaptiveCard card) => JsonSerializer.Serialize(card, BotJsonContext.Default.AdaptiveCard);

    private static JsonElement Data(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static AdaptiveCard EveryElement() => new()
    {
        Refresh = new CardRefresh
        {
            Action = new ActionExecute { Verb = "refreshStatus", Data = Data("""{"appId":"app-42"}""") },
            UserIds = ["29:1AbC", "29:1XyZ"],
        },
        MsTeams = new MsTeamsCardProperties { Width = "Full" },
        Body =
        [
            new TextBlock { Text = "Payroll API", Weight = "Bolder", Size = "Large", Wrap = true, Style = "heading" },
            new FactSet { Facts = [new Fact("App id", "app-42"), new Fact("Days left", "7")] },
            new Table
            {
                FirstRowAsHeader = true,
                Columns = [new TableColumnDefinition { Width = 2 }, new TableColumnDefinition { Width = 1 }],
                Rows =
                [
                    new TableRow { Cells = [new TableCell { Items = [new TextBlock { Text = "Credential" }] }, new TableCell { Items = [new TextBlock { Text = "Days" }] }] },
                    new TableRow { Cells = [new TableCell { Items = [new TextBlock { Text = "prod" }] }, new TableCell { Items = [new TextBlock { Text = "7" }] }] },
                ],
            },
            new InputText { Id = "justification", Label = "Justification", IsRequired = true, ErrorMessage = "Say why.", IsMultiline = true, MaxLength = 500 },
            new InputChoiceSet { Id = "hours", Label = "Duration", Choices = [new Choice("2 hours", "2"), new Choice("8 hours", "8")], Value = "2", Style = "compact" },
            new InputToggle { Id = "manageCredentials", Title = "May manage credentials", ValueOn = "true", ValueOff = "false" },
            new ActionSet { Actions = [new ActionOpenUrl { Title = "Details", Url = "https://entra.microsoft.com/" }] },
            new TextBlock { Id = "details", Text = "Owners: Alex Wilber", IsVisible = false, Wrap = true },
        ],
        Actions =
        [
            new ActionExecute
            {
                Title = "Snooze 7 days",
                Verb = "snooze",
                Data = Data("""{"appId":"app-42","days":7}"""),
                AssociatedInputs = "none",
                Fallback = new ActionSubmit { Title = "Snooze 7 days", Data = Data("""{"action":"snooze","appId":"app-42"}""") },
            },
            new ActionSubmit { Title = "Rotate now", Data = Data("""{"msteams":{"type":"task/fetch"},"action":"rotate","appId":"app-42"}""") },
            new ActionOpenUrl { Title = "Open in Entra", Url = "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/app-42" },
        ],
        FallbackText = "Payroll API: a client secret expires in 7 days.",
    };

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
