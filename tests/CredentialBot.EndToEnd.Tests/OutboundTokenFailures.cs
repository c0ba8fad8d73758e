using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The bot's own credential fails (here the product's real token provider meets an authority it cannot reach, as
/// with a wrong tenant, a revoked secret or no network): Teams gets a 200 after at most one bounded wait, the log names
/// the setting to fix, later messages do not wait again, and what can be answered without the Connector — an invoke —
/// is answered.
/// It used to be a 500 after 11 seconds of the credential library's retries.
/// </summary>
public sealed class OutboundTokenFailures : IAsyncLifetime
{
    /// <summary>
    /// Below the credential library's own ~11 s here. Exact timing is pinned in ConnectorTokenSourceTests on a fake
    /// clock; on this shared machine wall-clock bounds only separate "waits once" from "waits every time".
    /// </summary>
    private static readonly TimeSpan TokenTimeout = TimeSpan.FromSeconds(3);

    private readonly BotHost _bot = new BotHost()
        .With("Bot:ConnectorRetry:TokenTimeout", TokenTimeout.ToString())
        .WithServices(UseTheProductsOwnTokenProvider);

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AMessage_IsAnsweredWithoutA500_AndTheLogNamesTheCredentialSetting()
    {
        using var response = await _bot.SendMessageAsync("my apps");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_bot.Connector.Calls);
        var line = Assert.Single(_bot.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("Bot Connector token", StringComparison.Ordinal));
        Assert.Contains("Bot:ClientSecret", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-used-outbound-tokens-are-faked", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LaterMessages_DoNotWaitForTheCredentialAgain()
    {
        await _bot.SendMessageAsync("help");

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            using var response = await _bot.SendMessageAsync("help");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Five waits would take at least 5 × TokenTimeout; none is what the bot owes.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, 3 * TokenTimeout);
        Assert.Single(_bot.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("Bot Connector token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInvoke_StillGetsItsAnswer()
    {
        await _bot.SendMessageAsync("help");

        var (status, body) = await _bot.InvokeAsync("composeExtension/query", new JsonObject
        {
            ["commandId"] = "findApp",
            ["parameters"] = new JsonArray(new JsonObject { ["name"] = "query", ["value"] = "Payroll" }),
        }, BotHost.Alex, "Alex Wilber");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Payroll", body.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// BotHost fakes the outbound token; this puts back exactly what the product registers for it (whichever provider
    /// that is), resolved against the host's own configuration: the app id and client secret BotHost sets.
    /// </summary>
    private static void UseTheProductsOwnTokenProvider(IServiceCollection services)
    {
        var product = new ServiceCollection().AddBotFramework(new ConfigurationBuilder().Build());
        services.RemoveAll<IConnectorTokenProvider>();
        foreach (var registration in product.Where(d => d.ServiceType == typeof(IConnectorTokenProvider)))
        {
            services.Add(registration);
        }
    }
}
