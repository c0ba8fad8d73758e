using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Tests.Connector;

/// <summary>Which serviceUrls the bot will call, and so send its Connector token to.</summary>
public sealed class ServiceUrlPolicyTests
{
    private static readonly ServiceUrlPolicy Production = new(Options.Create(new BotAuthOptions { MicrosoftAppId = "bot" }));
    private static readonly ServiceUrlPolicy Local = new(Options.Create(new BotAuthOptions()));

    [Theory]
    [InlineData("https://smba.trafficmanager.net/emea/")]
    [InlineData("https://smba.trafficmanager.net/teams/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/gcc")]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/gcch")]
    [InlineData("https://europe.webchat.botframework.com/")]
    public void TeamsConnectorHosts_AreAllowedInProduction(string url) => Assert.True(Production.IsAllowed(url));

    [Theory]
    [InlineData("http://smba.trafficmanager.net/emea/")]
    [InlineData("https://smba.trafficmanager.net.evil.example/")]
    [InlineData("https://evilbotframework.com/")]
    [InlineData("https://127.0.0.1/")]
    [InlineData("http://localhost:3978/")]
    [InlineData("https://admin@smba.trafficmanager.net/")]
    [InlineData("")]
    [InlineData(null)]
    public void EverythingElse_IsRefusedInProduction(string? url) => Assert.False(Production.IsAllowed(url));

    [Theory]
    [InlineData("http://127.0.0.1:56150/_connector", true)]
    [InlineData("http://localhost:56150/", true)]
    [InlineData("http://[::1]:56150/", true)]
    [InlineData("https://smba.trafficmanager.net/emea/", false)]
    public void LocalMode_AllowsOnlyLoopback(string url, bool allowed) => Assert.Equal(allowed, Local.IsAllowed(url));

    [Fact]
    public void ConfiguredHosts_AreAdded()
    {
        var policy = new ServiceUrlPolicy(Options.Create(new BotAuthOptions { MicrosoftAppId = "bot", AllowedServiceUrls = ["connector.contoso.test"] }));

        Assert.True(policy.IsAllowed("https://connector.contoso.test/x/"));
    }
}
