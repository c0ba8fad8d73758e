using System.Net;
using CredentialBot.TestKit.Auth;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>Production mode never acts on a request it cannot authenticate, and keeps serving good ones.</summary>
public sealed class RefusingUnauthenticatedCalls : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task NoToken_Is401_AndNothingIsSent()
    {
        var response = await _bot.PostAsync(MyAppsActivity(), token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Empty(_bot.Connector.Calls);
    }

    [Fact]
    public async Task TokenForAnotherBot_Is401()
    {
        var activity = MyAppsActivity();
        var token = BotTokenFactory.Create(_bot.SigningKey, audience: "another-bot", serviceUrl: _bot.Connector.ServiceUrl.ToString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await _bot.PostAsync(activity, token)).StatusCode);
    }

    [Fact]
    public async Task TokenForAnotherServiceUrl_Is401_SoRepliesCannotBeRedirected()
    {
        var activity = MyAppsActivity();
        var token = BotTokenFactory.Create(_bot.SigningKey, audience: BotHost.BotAppId, serviceUrl: "https://smba.trafficmanager.net/emea/");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _bot.PostAsync(activity, token)).StatusCode);
    }

    [Fact]
    public async Task TokenSignedByAnUnknownKey_Is401()
    {
        var activity = MyAppsActivity();
        var token = BotTokenFactory.Create(TestSigningKey.Create(), audience: BotHost.BotAppId, serviceUrl: _bot.Connector.ServiceUrl.ToString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await _bot.PostAsync(activity, token)).StatusCode);
    }

    [Fact]
    public async Task TenantNotAllowed_IsRefused()
    {
        var activity = MyAppsActivity();
        activity["conversation"]!["tenantId"] = "someone-elses-tenant";
        activity["channelData"]!["tenant"]!["id"] = "someone-elses-tenant";

        var status = (await _bot.PostAsync(activity)).StatusCode;

        Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"got {status}");
        Assert.Empty(_bot.Connector.Calls);
    }

    [Fact]
    public async Task AfterBadRequests_AGoodOneIsStillServed()
    {
        for (var i = 0; i < 5; i++)
        {
            await _bot.PostAsync(MyAppsActivity(), token: "not.a.jwt");
        }

        var response = await _bot.PostAsync(MyAppsActivity());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await _bot.Connector.WaitForCallsAsync(1));
    }

    [Fact]
    public async Task UnknownInvoke_Is501()
    {
        var activity = _bot.Activity("invoke", BotHost.Alex, "Alex Wilber", "a:personal");
        activity["name"] = "someFuture/invoke";

        Assert.Equal(HttpStatusCode.NotImplemented, (await _bot.PostAsync(activity)).StatusCode);
    }

    private System.Text.Json.Nodes.JsonObject MyAppsActivity()
    {
        var activity = _bot.Activity("message", BotHost.Alex, "Alex Wilber", "a:personal");
        activity["text"] = "my apps";
        return activity;
    }
}
