using CredentialBot.AppRequests;

namespace CredentialBot.Tests.Settings;

/// <summary>App requests turned on need the bot's own service principal, named so that start-up says what to set.</summary>
public sealed class AppRequestSettingsTests
{
    private static readonly AppRequestsOptionsValidator Validator = new();

    [Fact]
    public void Off_NeedsNothing() => Assert.True(Validator.Validate(null, new AppRequestsOptions()).Succeeded);

    [Fact]
    public void On_WithTheServicePrincipal_IsFine() =>
        Assert.True(Validator.Validate(null, new AppRequestsOptions { Enabled = true, ManagingServicePrincipalId = "c0c0c0c0-0000-4000-8000-000000000001" }).Succeeded);

    [Theory]
    [InlineData(true, null)]
    [InlineData(true, "  ")]
    [InlineData(true, "c0c0c0c0 0000")]
    [InlineData(false, "../servicePrincipals")]
    [InlineData(true, "c0c0c0c0-0000-4000-8000-000000000001?$select=id")]
    public void ABadServicePrincipalId_IsRefused_NamingTheSetting(bool enabled, string? id) =>
        Assert.Contains("AppRequests:ManagingServicePrincipalId", Validator.Validate(null, new AppRequestsOptions { Enabled = enabled, ManagingServicePrincipalId = id }).FailureMessage, StringComparison.Ordinal);
}
