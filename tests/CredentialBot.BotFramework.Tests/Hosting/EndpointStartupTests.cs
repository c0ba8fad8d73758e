using System.Net;
using System.Text;
using System.Text.Json;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Tests.Hosting;

/// <summary>Settings that cannot work stop start-up naming them; local mode says so; production has no switch to skip checks.</summary>
public sealed class EndpointStartupTests
{
    [Fact]
    public async Task LocalMode_IsAnnouncedWithAWarningAtStartUp()
    {
        await using var host = await EndpointHost.StartAsync();

        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("LOCAL MODE", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task AnAppIdWithoutACredential_StopsStartUp_NamingTheSettings(string? secret)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EndpointHost.StartAsync(new() { ["Bot:MicrosoftAppId"] = "6f1c2a9e-3b1d-4c55-9a7e-2f0d1c3b4a55", ["Bot:ClientSecret"] = secret }));

        Assert.Contains("Bot:MicrosoftAppId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bot:ClientSecret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bot:ConnectorRetry:MaxRetries", "-1")]
    [InlineData("Bot:ConnectorRetry:MaxRetries", "11")]
    [InlineData("Bot:ConnectorRetry:BaseDelay", "-00:00:01")]
    [InlineData("Bot:ConnectorRetry:MaxDelay", "00:00:00")]
    [InlineData("Bot:ConnectorRetry:TokenTimeout", "00:00:00")]
    [InlineData("Bot:ConnectorRetry:TokenRetryAfterFailure", "-00:00:01")]
    [InlineData("Bot:AllowedChannels:0", " ")]
    public async Task ASettingThatCannotWork_StopsStartUp_NamingIt(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EndpointHost.StartAsync(new() { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoConnectorRetries_StartsAndSends()
    {
        await using var host = await EndpointHost.StartAsync(new() { ["Bot:ConnectorRetry:MaxRetries"] = "0" });

        Assert.NotNull(host.Services.GetRequiredService<IConnectorClient>());
        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(EndpointHost.Message)).Status);
    }

    [Fact]
    public void ProductionMode_HasNoSwitchToSkipValidation()
    {
        var names = typeof(BotAuthOptions).GetProperties().Select(p => p.Name);

        Assert.DoesNotContain(names, n => n.Contains("Disable", StringComparison.OrdinalIgnoreCase) || n.Contains("Skip", StringComparison.OrdinalIgnoreCase));
    }
}
