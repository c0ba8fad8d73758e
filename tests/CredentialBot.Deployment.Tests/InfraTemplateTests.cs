using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CredentialBot.Directory;
using Microsoft.Extensions.Configuration;

namespace CredentialBot.Deployment.Tests;

/// <summary>
/// infra/azure.bicep compiles and lints clean with the Bicep compiler, offline; its parameters file fits it; and the
/// settings it gives the App Service are ones the bot starts with: the same identity validation the bot runs at
/// start-up accepts them, with no secret among them. (Deploying it needs Azure, which these tests do not reach.)
/// </summary>
public sealed class InfraTemplateTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private readonly JsonObject _template = compiled.Template;

    [Fact]
    public async Task TheTemplate_BuildsAndLints_WithoutAWarning()
    {
        var lint = await Repository.RunAsync(Repository.Bicep, "lint", Repository.PathOf("infra/azure.bicep"));

        Assert.DoesNotContain("Warning", compiled.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((0, string.Empty), (lint.ExitCode, lint.Output.Trim()));
    }

    [Fact]
    public async Task ACompilerThatAcceptsEverything_WouldNotPassTheCheckAbove()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"cb-broken-{Guid.NewGuid():N}.bicep");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Repository.PathOf("infra/azure.bicep"))).Replace("msaAppType: 'SingleTenant'", "msaAppType: SingleTenant", StringComparison.Ordinal));
        try
        {
            Assert.NotEqual(0, (await Repository.RunAsync(Repository.Bicep, "build", broken, "--stdout")).ExitCode);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void TheParametersFile_GivesEveryRequiredParameter_AndNoUnknownOne()
    {
        var declared = _template["parameters"]!.AsObject();
        var given = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra/azure.parameters.json")))!["parameters"]!.AsObject();

        Assert.Empty(given.Select(p => p.Key).Except(declared.Select(p => p.Key)));
        var required = declared.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key);
        Assert.Empty(required.Except(given.Select(p => p.Key)));
        // The password reaches the template from the Toolkit's secret store (.env.<env>.user), never from a committed file.
        Assert.Equal("${{SECRET_POSTGRES_ADMIN_PASSWORD}}", given["postgresAdminPassword"]!["value"]!.GetValue<string>());
        Assert.Equal("securestring", declared["postgresAdminPassword"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void TheBotsSettings_PassTheBotsOwnIdentityValidation_AsCertificatelessFederation()
    {
        var settings = AppSettings();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)Evaluate(s.Value))).Build();

        var identity = AppIdentityConfiguration.Read(configuration, graphRequired: true);

        Assert.Empty(identity.Problems);
        var credential = Assert.Single(identity.Sources[AppIdentityNames.Bot].Application!.ClientCredentials!);
        Assert.Equal(Microsoft.Identity.Abstractions.CredentialSource.SignedAssertionFromManagedIdentity, credential.SourceType);
        Assert.Equal("identity.properties.clientId", credential.ManagedIdentityClientId);
        Assert.Equal(identity.Sources[AppIdentityNames.Bot], identity.Sources[AppIdentityNames.KeyVault] with { Settings = identity.Sources[AppIdentityNames.Bot].Settings });
    }

    [Fact]
    public void NoSecret_IsWrittenIntoAnAppSetting()
    {
        var settings = AppSettings();

        Assert.StartsWith("'@Microsoft.KeyVault(SecretUri=", settings["Store__ConnectionString"], StringComparison.Ordinal);
        Assert.StartsWith("'@Microsoft.KeyVault(SecretUri=", settings["Exports__SigningKey"], StringComparison.Ordinal);
        Assert.DoesNotContain(settings, s => s.Value.Contains("postgresAdminPassword", StringComparison.Ordinal) || s.Value.Contains("exportsSigningKey", StringComparison.Ordinal));
        Assert.DoesNotContain(settings.Keys, k => k.Contains("ClientSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void TheAzureBot_IsSingleTenant_ForTheBotsApp_WithTheTeamsChannel()
    {
        var bot = Resource("Microsoft.BotService/botServices");
        var properties = bot["properties"]!;

        Assert.Equal("SingleTenant", properties["msaAppType"]!.GetValue<string>());
        Assert.Equal("[parameters('botAppId')]", properties["msaAppId"]!.GetValue<string>());
        Assert.Contains("/api/messages", properties["endpoint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("MsTeamsChannel", Resource("Microsoft.BotService/botServices/channels")["properties"]!["channelName"]!.GetValue<string>());
    }

    [Fact]
    public void TheSite_RunsAsTheManagedIdentity_AndChecksHealthz()
    {
        var site = Resource("Microsoft.Web/sites");

        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("/healthz", site["properties"]!["siteConfig"]!["healthCheckPath"]!.GetValue<string>());
        Assert.True(site["properties"]!["httpsOnly"]!.GetValue<bool>());
    }

    private JsonNode Resource(string type)
    {
        // Bicep compiles resources into an object keyed by symbolic name (language version 2.0) or an array.
        var resources = _template["resources"]!;
        var all = resources is JsonObject map ? map.Select(r => r.Value!) : resources.AsArray().Select(r => r!);
        return Assert.Single(all, r => r["type"]!.GetValue<string>() == type);
    }

    /// <summary>The site's fixed app settings as written in the template (name, Bicep expression).</summary>
    [Fact]
    public void TheTelemetrySettings_AreTheNamesTheBotReads()
    {
        var settings = AppSettings();

        Assert.Equal("appInsights.properties.ConnectionString", settings[CredentialBot.Telemetry.TelemetryOptions.AppInsightsVariable]);
        Assert.Equal("'credentialbot'", settings[CredentialBot.Telemetry.TelemetryOptions.ServiceNameVariable]);
        // Every OpenTelemetry variable the template sets is one the bot (or OpenTelemetry's SDK) reads; none is misspelt.
        Assert.All(settings.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)), k => Assert.Contains(k, new[] { CredentialBot.Telemetry.TelemetryOptions.ServiceNameVariable, CredentialBot.Telemetry.TelemetryOptions.OtlpEndpointVariable, CredentialBot.Telemetry.TelemetryOptions.OtlpProtocolVariable, "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_RESOURCE_ATTRIBUTES" }));
    }

    private static Dictionary<string, string> AppSettings()
    {
        var bicep = File.ReadAllText(Repository.PathOf("infra/azure.bicep"));
        var start = bicep.IndexOf("appSettings: concat([", StringComparison.Ordinal);
        var block = bicep[start..bicep.IndexOf("], adminGroupSettings)", start, StringComparison.Ordinal)];
        var settings = Regex.Matches(block, @"name: '(?<name>[A-Za-z_0-9]+)'\s*\n\s*value: (?<value>[^\n]+)")
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim(), StringComparer.Ordinal);
        Assert.True(settings.Count >= 15, block);
        return settings;
    }

    /// <summary>A Bicep value as the bot would see it: literals as written; a reference stands for itself (equal references, equal values).</summary>
    private static string Evaluate(string value) => value switch
    {
        "environment().authentication.loginEndpoint" => "https://login.microsoftonline.com/",
        _ when value.StartsWith('\'') => value.Trim('\''),
        _ => value,
    };
}

/// <summary>infra/azure.bicep compiled once for the class (the compiler takes seconds).</summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    public JsonObject Template { get; private set; } = null!;

    public string Output { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var (exitCode, output) = await Repository.RunAsync(Repository.Bicep, "build", Repository.PathOf("infra/azure.bicep"), "--stdout");
        Assert.True(exitCode == 0, output);
        Output = output;
        Template = JsonNode.Parse(output[..(output.LastIndexOf('}') + 1)])!.AsObject();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
