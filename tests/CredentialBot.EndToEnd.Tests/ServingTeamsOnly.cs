using System.Net;
using System.Text.Json.Nodes;
using CredentialBot.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The bot serves Microsoft Teams only. A Web Chat / Direct Line client reaches a bot through the same Bot Connector,
/// with a genuine token for this bot whose signing key the Bot Framework endorses for <c>webchat</c>: that activity is
/// refused with 403 before any handler runs — nothing is answered, stored, audited or sent.
/// </summary>
public sealed class ServingTeamsOnly : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Theory]
    [InlineData("webchat")]
    [InlineData("directline")]
    [InlineData("emulator")]
    public async Task AnInstallFromAnotherChannel_WithAnOtherwiseValidToken_Is403_AndNothingIsStoredOrSent(string channel)
    {
        var install = _bot.Activity("installationUpdate", BotHost.Alex, "Alex Wilber", $"a:personal-{BotHost.Alex}", extra: a => a["action"] = "add");
        install["channelId"] = channel;

        using var response = await _bot.PostAsync(install);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(channel == "webchat" ? "ChannelNotAllowed" : "ChannelNotEndorsed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_bot.Connector.Calls);
        Assert.Equal(0, await CountAsync(db => db.ConversationReferences));
        Assert.Empty(await _bot.AuditAsync());
        Assert.Contains(_bot.Logs.Lines, l => l.Contains("Refused an inbound request: Channel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWebChatMessage_AsAnAdmin_IsAnsweredByNothing()
    {
        var scan = WebChat(_bot.Activity("message", BotHost.Megan, "Megan Bowen", $"a:personal-{BotHost.Megan}", extra: a => a["text"] = "scan now"));

        using var response = await _bot.PostAsync(scan);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_bot.Connector.Calls);
        Assert.Empty(await _bot.AuditAsync());
    }

    [Fact]
    public async Task AWebChatCardAction_GetsNoCard()
    {
        var click = WebChat(_bot.Activity("invoke", BotHost.Alex, "Alex Wilber", $"a:personal-{BotHost.Alex}", extra: a =>
        {
            a["name"] = "adaptiveCard/action";
            a["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "appStatus", ["data"] = new JsonObject() } };
        }));

        using var response = await _bot.PostAsync(click);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("AdaptiveCard", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameInstallFromTeams_IsServed()
    {
        using var response = await _bot.InstallAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await _bot.Connector.WaitForCallsAsync(1));
        Assert.Equal(1, await CountAsync(db => db.ConversationReferences));
    }

    private static JsonObject WebChat(JsonObject activity)
    {
        activity["channelId"] = "webchat";
        return activity;
    }

    private async Task<int> CountAsync<T>(Func<CredentialBotDbContext, IQueryable<T>> rows)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await rows(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>()).CountAsync();
    }
}
