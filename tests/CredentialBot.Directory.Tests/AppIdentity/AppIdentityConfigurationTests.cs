using Microsoft.Extensions.Configuration;
using Microsoft.Identity.Abstractions;

namespace CredentialBot.Directory.Tests.AppIdentity;

/// <summary>
/// How settings become each consumer's identity: Microsoft.Identity.Web's own shape first, the older settings mapped
/// onto it, and a start-up error naming the setting for anything missing or wrong. Local mode needs nothing.
/// </summary>
public sealed class AppIdentityConfigurationTests
{
    private const string BotId = "6f1c2a9e-3b1d-4c55-9a7e-2f0d1c3b4a55";
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private const string Secret = "s3cr3t-value-that-must-not-leak";

    [Fact]
    public void LocalMode_NeedsNoCredentialAtAll()
    {
        var read = Read(new(), graphRequired: false);

        Assert.Empty(read.Problems);
        Assert.Empty(read.Sources);
    }

    [Fact]
    public void AnAppIdWithoutACredential_NamesTheNewAndTheOlderSettings()
    {
        var problem = Assert.Single(Read(new() { ["Bot:MicrosoftAppId"] = BotId }, graphRequired: false).Problems);

        Assert.Contains("Bot:MicrosoftAppId", problem, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientCredentials", problem, StringComparison.Ordinal);
        Assert.Contains("SignedAssertionFromManagedIdentity", problem, StringComparison.Ordinal);
        Assert.Contains("Bot:ClientSecret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDocumentedShape_IsTheBotsIdentity_AndGraphsAndKeyVaultsByDefault()
    {
        var read = Read(new()
        {
            ["Bot:MicrosoftAppId"] = BotId,
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:TenantId"] = Tenant,
            ["AzureAd:ClientId"] = BotId,
            ["AzureAd:ClientCredentials:0:SourceType"] = "SignedAssertionFromManagedIdentity",
            ["AzureAd:ClientCredentials:0:ManagedIdentityClientId"] = "mi-client-id",
            ["KeyVault:AllowedVaults:0"] = "https://contoso.vault.azure.net/",
        }, graphRequired: true);

        Assert.Empty(read.Problems);
        foreach (var name in new[] { AppIdentityNames.Bot, AppIdentityNames.Graph, AppIdentityNames.KeyVault })
        {
            var app = read.Sources[name].Application!;
            Assert.Equal(BotId, app.ClientId);
            Assert.Equal(Tenant, app.TenantId);
            var credential = Assert.Single(app.ClientCredentials!);
            Assert.Equal(CredentialSource.SignedAssertionFromManagedIdentity, credential.SourceType);
            Assert.Equal("mi-client-id", credential.ManagedIdentityClientId);
        }
    }

    [Fact]
    public void TheOlderBotSecret_BecomesTheAppsClientSecret_ForTheBotsAppAndTenant()
    {
        var read = Read(new() { ["Bot:MicrosoftAppId"] = BotId, ["Bot:MicrosoftAppTenantId"] = Tenant, ["Bot:ClientSecret"] = Secret }, graphRequired: false);

        Assert.Empty(read.Problems);
        var source = read.Sources[AppIdentityNames.Bot];
        Assert.Equal(BotId, source.Application!.ClientId);
        Assert.Equal(Tenant, source.Application.TenantId);
        Assert.Equal(AppIdentityConfiguration.DefaultInstance, source.Application.Instance);
        var credential = Assert.Single(source.Application.ClientCredentials!);
        Assert.Equal(CredentialSource.ClientSecret, credential.SourceType);
        Assert.Equal(Secret, credential.ClientSecret);
        Assert.Equal("Bot:ClientSecret", source.Settings);
    }

    [Fact]
    public void AMultiTenantBot_WithoutATenant_SignsInAtBotFramework()
    {
        var read = Read(new() { ["Bot:MicrosoftAppId"] = BotId, ["Bot:ClientSecret"] = Secret }, graphRequired: false);

        Assert.Equal(AppIdentityConfiguration.BotFrameworkTenant, read.Sources[AppIdentityNames.Bot].Application!.TenantId);
    }

    [Fact]
    public void TheOlderCertificatePath_ThatDoesNotExist_IsNamed()
    {
        var problem = Assert.Single(Read(new() { ["Bot:MicrosoftAppId"] = BotId, ["Bot:CertificatePath"] = "/nowhere/bot.pfx" }, graphRequired: false).Problems);

        Assert.Contains("Bot:CertificatePath", problem, StringComparison.Ordinal);
        Assert.Contains("/nowhere/bot.pfx", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AManagedIdentityBot_UsesTheIdentityDirectly()
    {
        var read = Read(new() { ["Bot:MicrosoftAppId"] = BotId, ["Bot:ManagedIdentityClientId"] = "mi-client-id" }, graphRequired: false);

        Assert.Empty(read.Problems);
        var source = read.Sources[AppIdentityNames.Bot];
        Assert.Null(source.Application);
        Assert.Equal("mi-client-id", source.ToAcquireTokenOptions().ManagedIdentity!.UserAssignedClientId);
    }

    [Fact]
    public void TwoIdentitiesForTheBot_AreRefused_RatherThanOnePickedSilently()
    {
        var problem = Assert.Single(Read(new() { ["Bot:MicrosoftAppId"] = BotId, ["Bot:ManagedIdentityClientId"] = "mi", ["Bot:ClientSecret"] = Secret }, graphRequired: false).Problems);

        Assert.Contains("Bot:ManagedIdentityClientId", problem, StringComparison.Ordinal);
        Assert.Contains("Keep one", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAppOtherThanTheOneTeamsCalls_IsRefused()
    {
        var problem = Assert.Single(Read(Documented(new() { ["AzureAd:ClientId"] = "someone-else" }), graphRequired: false).Problems);

        Assert.Contains("AzureAd:ClientId", problem, StringComparison.Ordinal);
        Assert.Contains("Bot:MicrosoftAppId", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AzureAd:ClientCredentials:0:SourceType", "Secret", "AzureAd:ClientCredentials:0:SourceType 'Secret'")]
    [InlineData("AzureAd:ClientCredentials:0:SourceType", "7", "AzureAd:ClientCredentials:0:SourceType '7'")]
    [InlineData("AzureAd:ClientCredentials:0:ClientSecret", "", "AzureAd:ClientCredentials:0:ClientSecret is required")]
    [InlineData("AzureAd:Instance", "http://login.microsoftonline.com/", "AzureAd:Instance must be an https URL")]
    [InlineData("AzureAd:ClientCredentials:0:SourceType", "", "AzureAd:ClientCredentials:0:SourceType ''")]
    public void ABadSetting_IsNamed(string key, string value, string expected)
    {
        var settings = Documented(new() { ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret", ["AzureAd:ClientCredentials:0:ClientSecret"] = Secret });
        settings[key] = value;

        var problem = Assert.Single(Read(settings, graphRequired: false).Problems);

        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CredentialFieldsEachSourceNeeds_AreNamed()
    {
        var read = Read(Documented(new()
        {
            ["AzureAd:ClientCredentials:0:SourceType"] = "KeyVault",
            ["AzureAd:ClientCredentials:0:KeyVaultUrl"] = "https://contoso.vault.azure.net",
            ["AzureAd:ClientCredentials:1:SourceType"] = "StoreWithThumbprint",
            ["AzureAd:ClientCredentials:1:CertificateStorePath"] = "CurrentUser/My",
            ["AzureAd:ClientCredentials:2:SourceType"] = "Path",
        }), graphRequired: false);

        Assert.Equal(
        [
            "AzureAd:ClientCredentials:0:KeyVaultCertificateName is required for SourceType KeyVault.",
            "AzureAd:ClientCredentials:1:CertificateThumbprint is required for SourceType StoreWithThumbprint.",
            "AzureAd:ClientCredentials:2:CertificateDiskPath is required for SourceType Path.",
        ], read.Problems);
    }

    [Fact]
    public void NoProblem_EverRepeatsASecret()
    {
        var read = Read(new()
        {
            ["Bot:MicrosoftAppId"] = BotId,
            ["AzureAd:TenantId"] = "",
            ["AzureAd:Instance"] = "http://" + Secret,
            ["AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["AzureAd:ClientCredentials:0:ClientSecret"] = Secret,
            ["AzureAd:ClientCredentials:1:SourceType"] = "Base64Encoded",
            ["AzureAd:ClientCredentials:1:CertificatePassword"] = Secret,
        }, graphRequired: true);

        Assert.NotEmpty(read.Problems);
        Assert.DoesNotContain(read.Problems, p => p.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Graph_OnTheBotsMultiTenantApp_NeedsTheTenantItReads()
    {
        var problem = Assert.Single(Read(new() { ["Bot:MicrosoftAppId"] = BotId, ["Bot:ClientSecret"] = Secret }, graphRequired: true).Problems);

        Assert.Contains("Graph:TenantId", problem, StringComparison.Ordinal);
        Assert.Empty(Read(new() { ["Bot:MicrosoftAppId"] = BotId, ["Bot:ClientSecret"] = Secret, ["Graph:TenantId"] = Tenant }, graphRequired: true).Problems);
    }

    [Fact]
    public void TheOlderGraphSettings_StillDescribeGraphsOwnApp()
    {
        var read = Read(Documented(new() { ["Graph:TenantId"] = "graph-tenant", ["Graph:ClientId"] = "graph-app", ["Graph:ClientSecret"] = "graph-secret" }), graphRequired: true);

        Assert.Empty(read.Problems);
        var graph = read.Sources[AppIdentityNames.Graph];
        Assert.Equal("graph-app", graph.Application!.ClientId);
        Assert.Equal("graph-tenant", graph.Tenant);
        Assert.Equal("graph-secret", Assert.Single(graph.Application.ClientCredentials!).ClientSecret);
        Assert.Equal(BotId, read.Sources[AppIdentityNames.Bot].Application!.ClientId);
    }

    [Fact]
    public void AGraphAzureAdSection_IsGraphsOwnApp_CheckedLikeTheBots()
    {
        var read = Read(Documented(new()
        {
            ["Graph:AzureAd:TenantId"] = Tenant,
            ["Graph:AzureAd:ClientCredentials:0:SourceType"] = "ClientSecret",
            ["Graph:AzureAd:ClientCredentials:0:ClientSecret"] = "x",
        }), graphRequired: true);

        Assert.Equal(["Graph:AzureAd:ClientId is required."], read.Problems);
    }

    [Fact]
    public void AGraphWithNoIdentity_NamesTheSettings_IncludingTheOlderOnes()
    {
        var problem = Assert.Single(Read(new() { ["Graph:TenantId"] = Tenant }, graphRequired: true).Problems);

        Assert.Contains("Graph:ManagedIdentityClientId", problem, StringComparison.Ordinal);
        Assert.Contains("Graph:ClientId", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyVault_IsCheckedOnlyWhenAVaultIsAllowed()
    {
        Assert.Empty(Read(new(), graphRequired: false).Problems);

        var problem = Assert.Single(Read(new() { ["KeyVault:AllowedVaults:0"] = "https://contoso.vault.azure.net/" }, graphRequired: false).Problems);
        Assert.Contains("KeyVault:ManagedIdentityClientId", problem, StringComparison.Ordinal);

        var read = Read(new() { ["KeyVault:AllowedVaults:0"] = "https://contoso.vault.azure.net/", ["KeyVault:ManagedIdentityClientId"] = "vault-mi" }, graphRequired: false);
        Assert.Empty(read.Problems);
        Assert.Equal("vault-mi", read.Sources[AppIdentityNames.KeyVault].ManagedIdentityClientId);
    }

    private static Dictionary<string, string?> Documented(Dictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bot:MicrosoftAppId"] = BotId,
            ["AzureAd:TenantId"] = Tenant,
            ["AzureAd:ClientCredentials:0:SourceType"] = "SignedAssertionFromManagedIdentity",
            ["AzureAd:ClientCredentials:0:ManagedIdentityClientId"] = "mi-client-id",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static AppIdentityOptions Read(Dictionary<string, string?> settings, bool graphRequired) =>
        AppIdentityConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), graphRequired);
}
