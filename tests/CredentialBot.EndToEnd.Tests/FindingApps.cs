using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>The message extension: search by name, appId or owner; Entra links unfurl; shared cards refresh live.</summary>
public sealed class FindingApps : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Theory]
    [InlineData("payroll", new[] { "Payroll API", "Payroll API (Staging)" })]
    [InlineData("1f2e3d4c-5b6a-4978-8a9b-000000000010", new[] { "Sales Forecasting" })]
    [InlineData("isaiah", new[] { "Data Lake Ingest", "GitHub Enterprise SSO", "Support Ticket Router", "Warehouse Robotics" })]
    public async Task FindApp_SearchesNamesAppIdsAndOwners(string query, string[] expected)
    {
        var results = await SearchAsync(query);

        Assert.Equal(expected, results.Select(r => r.GetProperty("preview").GetProperty("content").GetProperty("title").GetString()).Order(StringComparer.Ordinal));
        var first = results[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", first.GetProperty("contentType").GetString());
        Assert.Equal("appStatus", first.GetProperty("content").GetProperty("refresh").GetProperty("action").GetProperty("verb").GetString());
        Assert.False(first.GetProperty("content").GetProperty("refresh").TryGetProperty("userIds", out _), "every viewer refreshes");
        Assert.Contains("next expiry", first.GetProperty("preview").GetProperty("content").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindApp_WithNothingToFind_SaysSo()
    {
        var (_, body) = await _bot.InvokeAsync("composeExtension/query", Query("no such app anywhere"), BotHost.Alex, "Alex Wilber");

        Assert.Equal("message", body.GetProperty("composeExtension").GetProperty("type").GetString());
        Assert.Contains("No app matches", body.GetProperty("composeExtension").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/1f2e3d4c-5b6a-4978-8a9b-000000000001/isMSAApp~/false", "Payroll API")]
    [InlineData("https://portal.azure.com/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/objectId/5f0c1a2b-7d3e-4a51-9b2c-000000000021/appId/1f2e3d4c-5b6a-4978-8a9b-000000000021", "Contoso SSO (SAML)")]
    public async Task EntraLinks_UnfurlIntoTheAppsStatusCard(string url, string app)
    {
        var (_, body) = await _bot.InvokeAsync("composeExtension/queryLink", new JsonObject { ["url"] = url }, BotHost.Alex, "Alex Wilber");

        var result = Assert.Single(body.GetProperty("composeExtension").GetProperty("attachments").EnumerateArray());
        Assert.Equal(app, result.GetProperty("preview").GetProperty("content").GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("https://evil.example.com/#view/x/appId/1f2e3d4c-5b6a-4978-8a9b-000000000001")]
    [InlineData("http://entra.microsoft.com/#view/x/appId/1f2e3d4c-5b6a-4978-8a9b-000000000001")]
    [InlineData("https://entra.microsoft.com/#view/x/appId/00000000-0000-0000-0000-000000000000")]
    public async Task OtherLinks_AreNotUnfurled(string url)
    {
        var (_, body) = await _bot.InvokeAsync("composeExtension/queryLink", new JsonObject { ["url"] = url }, BotHost.Alex, "Alex Wilber");

        Assert.Equal("message", body.GetProperty("composeExtension").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ASharedStatusCard_RefreshesWithEachViewersOwnButtons()
    {
        var card = (await SearchAsync("Payroll API"))[0].GetProperty("content");
        var data = JsonNode.Parse(card.GetProperty("refresh").GetProperty("action").GetProperty("data").GetRawText())!;

        var forAlex = (await _bot.ExecuteAsync("appStatus", data, BotHost.Alex, "Alex Wilber")).GetProperty("value");
        var forAdele = (await _bot.ExecuteAsync("appStatus", data, DemoTenant.Adele, "Adele Vance")).GetProperty("value");

        Assert.True(HasButton(forAlex, "Rotate now"));
        Assert.True(HasButton(forAdele, "Request elevation"));
        Assert.False(HasButton(forAdele, "Rotate now"));
    }

    private async Task<IReadOnlyList<JsonElement>> SearchAsync(string text)
    {
        var (_, body) = await _bot.InvokeAsync("composeExtension/query", Query(text), BotHost.Alex, "Alex Wilber");
        return [.. body.GetProperty("composeExtension").GetProperty("attachments").EnumerateArray()];
    }

    private static JsonObject Query(string text) => new()
    {
        ["commandId"] = "findApp",
        ["parameters"] = new JsonArray(new JsonObject { ["name"] = "query", ["value"] = text }),
        ["queryOptions"] = new JsonObject { ["skip"] = 0, ["count"] = 25 },
    };
}
