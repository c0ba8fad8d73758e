using CredentialBot.TestKit.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Client;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The recommended production identity, end to end: the bot's Entra app trusts a managed identity (certificateless
/// federation). For its reply the host asks the managed-identity endpoint for an exchange token, trades it at the
/// Entra token endpoint for a Bot Connector token, and the reply carries that token. No secret exists anywhere.
/// </summary>
public sealed class SigningInAsTheBot : IAsyncLifetime
{
    private const string Exchange = "api://AzureADTokenExchange";
    private const string ConnectorScope = "https://api.botframework.com/.default";
    private readonly string _managedIdentity = Guid.NewGuid().ToString();
    private readonly BotHost _bot = new BotHost().WithRealOutboundTokens();
    private FakeEntraServer _entra = null!;
    private FakeManagedIdentityEndpoint _identityEndpoint = null!;
    private LoopbackMsalHttpClientFactory _msalHttp = null!;

    public async Task InitializeAsync()
    {
        _entra = await FakeEntraServer.StartAsync();
        _identityEndpoint = await FakeManagedIdentityEndpoint.SharedAsync();
        _msalHttp = new LoopbackMsalHttpClientFactory(_entra);
        _entra.AddFederation(BotHost.BotAppId, assertion => FakeManagedIdentityEndpoint.IsTokenFor(assertion, _managedIdentity, Exchange));
        _bot.With("AzureAd:Instance", _entra.Instance.ToString())
            .With("AzureAd:TenantId", BotHost.TenantId)
            .With("AzureAd:ClientId", BotHost.BotAppId)
            .With("AzureAd:ClientCredentials:0:SourceType", "SignedAssertionFromManagedIdentity")
            .With("AzureAd:ClientCredentials:0:ManagedIdentityClientId", _managedIdentity)
            .With("AzureAd:ClientCredentials:0:TokenExchangeUrl", Exchange)
            .WithServices(services => services.AddSingleton<IMsalHttpClientFactory>(_msalHttp));
        await _bot.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        _msalHttp.Dispose();
        await _entra.DisposeAsync();
    }

    [Fact]
    public async Task TheBotsReply_CarriesTheConnectorTokenItsManagedIdentityEarned()
    {
        using var response = await _bot.SendMessageAsync("help");
        response.EnsureSuccessStatusCode();

        var reply = Assert.Single(await _bot.Connector.WaitForCallsAsync(1));
        var exchange = Assert.Single(_identityEndpoint.RequestsFor(_managedIdentity));
        Assert.Equal(Exchange, exchange.Resource);
        var request = Assert.Single(_entra.Requests);
        Assert.Equal(BotHost.TenantId, request.Tenant);
        Assert.Equal(BotHost.BotAppId, request["client_id"]);
        Assert.Equal(ConnectorScope, request["scope"]);
        Assert.True(FakeManagedIdentityEndpoint.IsTokenFor(request["client_assertion"]!, _managedIdentity, Exchange));
        Assert.Null(request["client_secret"]);
        Assert.StartsWith($"Bearer entra-app-token:{BotHost.BotAppId}:{ConnectorScope}:", reply.Authorization, StringComparison.Ordinal);
        Assert.Empty(_msalHttp.Refused);
    }

    [Fact]
    public async Task LaterReplies_ReuseTheCachedToken()
    {
        (await _bot.SendMessageAsync("help")).EnsureSuccessStatusCode();
        (await _bot.SendMessageAsync("my apps")).EnsureSuccessStatusCode();

        var replies = await _bot.Connector.WaitForCallsAsync(2);
        Assert.Single(_entra.Requests);
        Assert.Single(replies.Select(r => r.Authorization).Distinct());
    }
}
