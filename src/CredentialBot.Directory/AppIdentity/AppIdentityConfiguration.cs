using Microsoft.Extensions.Configuration;
using Microsoft.Identity.Abstractions;

namespace CredentialBot.Directory;

/// <summary>
/// Reads the bot's app identity the way Microsoft.Identity.Web documents it, and maps the older settings onto it.
/// <list type="bullet">
/// <item><c>AzureAd</c> (Identity.Web's <c>MicrosoftIdentityApplicationOptions</c>: <c>Instance</c>, <c>TenantId</c>,
/// <c>ClientId</c>, <c>ClientCredentials</c>) is the bot's Entra app. It signs in for Bot Connector tokens and, unless
/// told otherwise, for Graph and Key Vault. <c>ClientId</c> defaults to <c>Bot:MicrosoftAppId</c>, <c>TenantId</c> to
/// <c>Bot:MicrosoftAppTenantId</c>; without <c>ClientCredentials</c>, <c>Bot:ClientSecret</c> or
/// <c>Bot:CertificatePath</c> (+ <c>Bot:CertificatePassword</c>) become one.</item>
/// <item><c>Bot:ManagedIdentityClientId</c>, <c>Graph:ManagedIdentityClientId</c>, <c>KeyVault:ManagedIdentityClientId</c>:
/// that consumer uses a user-assigned managed identity directly (a managed-identity Azure Bot, or an identity holding
/// its own Graph or Key Vault rights).</item>
/// <item><c>Graph:AzureAd</c>, <c>KeyVault:AzureAd</c>: that consumer signs in as another app (same shape as
/// <c>AzureAd</c>). The older <c>Graph:ClientId</c> / <c>Graph:TenantId</c> with <c>Graph:ClientSecret</c> or
/// <c>Graph:CertificatePath</c> still describe such an app; <c>Graph:TenantId</c> alone names the tenant Graph reads.</item>
/// </list>
/// Only consumers in use are checked: the bot when <c>Bot:MicrosoftAppId</c> is set (local mode needs no credential),
/// Graph when it reads a real tenant, Key Vault when <c>KeyVault:AllowedVaults</c> lists a vault.
/// </summary>
public static class AppIdentityConfiguration
{
    public const string DefaultInstance = "https://login.microsoftonline.com/";

    /// <summary>The tenant legacy multi-tenant bots sign in to.</summary>
    public const string BotFrameworkTenant = "botframework.com";

    private static readonly string[] NonTenants = [BotFrameworkTenant, "common", "organizations", "consumers"];

    public static AppIdentityOptions Read(IConfiguration configuration, bool graphRequired)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var result = new AppIdentityOptions();
        var problems = result.Problems;
        var botAppId = Value(configuration, "Bot:MicrosoftAppId");
        var botRequired = botAppId is not null;
        var keyVaultRequired = configuration.GetSection("KeyVault:AllowedVaults").GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value));

        // The bot's own app, and what the bot (and by default Graph and Key Vault) signs in with.
        var bot = ReadBotApplication(configuration, botAppId);
        var botSource = Choose(
            AppIdentityNames.Bot,
            Value(configuration, "Bot:ManagedIdentityClientId"),
            "Bot:ManagedIdentityClientId",
            bot,
            bot.Settings,
            botRequired ? problems : null,
            "Bot:MicrosoftAppId is set but the bot has no credential: set AzureAd:ClientCredentials (recommended: one with SourceType SignedAssertionFromManagedIdentity), or Bot:ManagedIdentityClientId for a managed-identity bot (older settings: Bot:ClientSecret, Bot:CertificatePath).");
        if (botSource is not null)
        {
            result.Sources[AppIdentityNames.Bot] = botSource;
        }

        if (botRequired && bot.Application.ClientId is { } clientId && !string.Equals(clientId, botAppId, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"AzureAd:ClientId ({clientId}) differs from Bot:MicrosoftAppId ({botAppId}): the bot must sign in as the app Teams sends its messages to.");
        }

        AddConsumer(result, configuration, AppIdentityNames.Graph, "Graph", botSource, graphRequired, ReadLegacyGraphApplication(configuration, bot.Application));
        AddConsumer(result, configuration, AppIdentityNames.KeyVault, "KeyVault", botSource, keyVaultRequired, legacy: null);
        return result;
    }

    private static void AddConsumer(AppIdentityOptions result, IConfiguration configuration, string name, string section, TokenSource? botSource, bool required, ReadApplication? legacy)
    {
        var problems = required ? result.Problems : null;
        var own = configuration.GetSection($"{section}:AzureAd");
        ReadApplication? application = own.Exists() ? Checked(ReadApplicationSection(own, $"{section}:AzureAd")) : legacy;
        var managedIdentity = Value(configuration, $"{section}:ManagedIdentityClientId");
        TokenSource? source;
        if (managedIdentity is null && application is null)
        {
            // Nothing of its own: the consumer signs in as the bot does.
            source = botSource is null ? null : botSource with { Settings = botSource.Settings + $" (the bot's identity, used for {name})" };
            if (source is null)
            {
                problems?.Add($"{name} has no identity to sign in with: set AzureAd (the bot's app, used by default), {section}:AzureAd, or {section}:ManagedIdentityClientId"
                    + (name == AppIdentityNames.Graph ? " (older settings: Graph:ClientId with Graph:ClientSecret or Graph:CertificatePath)." : "."));
            }
        }
        else
        {
            source = Choose(name, managedIdentity, $"{section}:ManagedIdentityClientId", application, application?.Settings ?? $"{section}:AzureAd", problems, $"{name} has no credential: set {section}:AzureAd:ClientCredentials or {section}:ManagedIdentityClientId.");
        }

        if (source is null)
        {
            return;
        }

        if (name == AppIdentityNames.Graph && source.Application is not null)
        {
            // Graph reads one tenant: the app's home tenant, or the one Graph:TenantId names.
            var tenant = Value(configuration, "Graph:TenantId");
            source = source with { Tenant = tenant ?? source.Tenant };
            var effective = source.Tenant ?? source.Application.TenantId;
            if (effective is null || NonTenants.Contains(effective, StringComparer.OrdinalIgnoreCase))
            {
                problems?.Add("Graph needs the tenant it reads: set AzureAd:TenantId (or Graph:TenantId).");
            }
        }

        result.Sources[name] = source;
    }

    private static TokenSource? Choose(string name, string? managedIdentity, string managedIdentitySetting, ReadApplication? application, string applicationSettings, List<string>? problems, string missing)
    {
        var hasCredentials = application is { Application.ClientCredentials: { } credentials } && credentials.Any();
        if (managedIdentity is not null && hasCredentials)
        {
            problems?.Add($"{name} has two identities: {managedIdentitySetting} and the client credentials of {applicationSettings}. Keep one.");
            return null;
        }

        if (managedIdentity is not null)
        {
            return new TokenSource(null, managedIdentity, null, managedIdentitySetting);
        }

        if (application is null || !hasCredentials)
        {
            // A credential that could not be read says more than "no credential".
            problems?.AddRange(application is { Problems.Count: > 0 } ? application.Problems : [missing]);
            return null;
        }

        problems?.AddRange(application.Problems);
        return application.Problems.Count > 0 ? null : new TokenSource(application.Application, null, null, applicationSettings);
    }

    private static ReadApplication ReadBotApplication(IConfiguration configuration, string? botAppId)
    {
        var read = ReadApplicationSection(configuration.GetSection("AzureAd"), "AzureAd");
        var app = read.Application;
        app.ClientId = Value(app.ClientId) ?? botAppId;
        app.TenantId = Value(app.TenantId) ?? Value(configuration, "Bot:MicrosoftAppTenantId") ?? (botAppId is null ? null : BotFrameworkTenant);
        if (app.ClientCredentials?.Any() != true)
        {
            var legacy = LegacyCredential(configuration, "Bot");
            if (legacy is not null)
            {
                app.ClientCredentials = [legacy];
                read = read with { Settings = legacy.SourceType == CredentialSource.ClientSecret ? "Bot:ClientSecret" : "Bot:CertificatePath" };
            }
        }

        return Checked(read);
    }

    private static ReadApplication? ReadLegacyGraphApplication(IConfiguration configuration, MicrosoftIdentityApplicationOptions bot)
    {
        var credential = LegacyCredential(configuration, "Graph");
        if (credential is null)
        {
            return null;
        }

        var app = new MicrosoftIdentityApplicationOptions
        {
            Instance = bot.Instance ?? DefaultInstance,
            TenantId = Value(configuration, "Graph:TenantId") ?? bot.TenantId,
            ClientId = Value(configuration, "Graph:ClientId") ?? bot.ClientId,
            ClientCredentials = [credential],
        };
        var settings = credential.SourceType == CredentialSource.ClientSecret ? "Graph:ClientSecret" : "Graph:CertificatePath";
        return Checked(new ReadApplication(app, "Graph", settings, []));
    }

    /// <summary>The older one-credential settings of a section, as an Identity.Web credential.</summary>
    private static CredentialDescription? LegacyCredential(IConfiguration configuration, string section)
    {
        if (Value(configuration, $"{section}:ClientSecret") is { } secret)
        {
            return new CredentialDescription { SourceType = CredentialSource.ClientSecret, ClientSecret = secret };
        }

        return Value(configuration, $"{section}:CertificatePath") is { } path
            ? new CredentialDescription { SourceType = CredentialSource.Path, CertificateDiskPath = path, CertificatePassword = Value(configuration, $"{section}:CertificatePassword") }
            : null;
    }

    private static ReadApplication Checked(ReadApplication read) =>
        read with { Problems = [.. read.Problems, .. CheckApplication(read.Application, read.Path, read.Settings)] };

    private static ReadApplication ReadApplicationSection(IConfigurationSection section, string path)
    {
        var found = new List<string>();
        var credentials = new List<CredentialDescription>();
        foreach (var (child, index) in section.GetSection("ClientCredentials").GetChildren().Select((c, i) => (c, i)))
        {
            var sourceType = child["SourceType"];
            if (!Enum.TryParse<CredentialSource>(sourceType, ignoreCase: true, out var source) || int.TryParse(sourceType, out _))
            {
                found.Add($"{path}:ClientCredentials:{index}:SourceType '{sourceType}' is not a credential source Microsoft.Identity.Web knows (for example ClientSecret, Path, KeyVault, StoreWithThumbprint, SignedAssertionFromManagedIdentity).");
                continue;
            }

            var credential = child.Get<CredentialDescription>() ?? new CredentialDescription();
            credential.SourceType = source;
            credentials.Add(credential);
        }

        var app = new MicrosoftIdentityApplicationOptions
        {
            Instance = Value(section["Instance"]) ?? DefaultInstance,
            TenantId = Value(section["TenantId"]),
            ClientId = Value(section["ClientId"]),
            Authority = Value(section["Authority"]),
            AzureRegion = Value(section["AzureRegion"]),
            SendX5C = bool.TryParse(section["SendX5C"], out var x5c) && x5c,
            ClientCredentials = credentials,
        };
        return new ReadApplication(app, path, path, found);
    }

    /// <summary>What Identity.Web needs to sign in as this app; each message names the setting, never a value.</summary>
    private static List<string> CheckApplication(MicrosoftIdentityApplicationOptions app, string path, string settings)
    {
        var problems = new List<string>();
        if (app.ClientId is null)
        {
            problems.Add($"{path}:ClientId is required.");
        }

        if (app.TenantId is null && app.Authority is null)
        {
            problems.Add($"{path}:TenantId is required.");
        }

        if (!Uri.TryCreate(app.Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"{path}:Instance must be an https URL such as {DefaultInstance}.");
        }

        var legacy = settings != path;
        foreach (var (credential, index) in (app.ClientCredentials ?? []).Select((c, i) => (c, i)))
        {
            var at = legacy ? settings : $"{path}:ClientCredentials:{index}";
            string? Missing(string? value, string field) => string.IsNullOrWhiteSpace(value) ? (legacy ? $"{at} is empty." : $"{at}:{field} is required for SourceType {credential.SourceType}.") : null;
            var missing = credential.SourceType switch
            {
                CredentialSource.ClientSecret => Missing(credential.ClientSecret, "ClientSecret"),
                CredentialSource.Path => Missing(credential.CertificateDiskPath, "CertificateDiskPath")
                    ?? (File.Exists(credential.CertificateDiskPath) ? null : $"{(legacy ? at : at + ":CertificateDiskPath")} names {credential.CertificateDiskPath}, which does not exist."),
                CredentialSource.KeyVault => Missing(credential.KeyVaultUrl, "KeyVaultUrl") ?? Missing(credential.KeyVaultCertificateName, "KeyVaultCertificateName"),
                CredentialSource.StoreWithThumbprint => Missing(credential.CertificateStorePath, "CertificateStorePath") ?? Missing(credential.CertificateThumbprint, "CertificateThumbprint"),
                CredentialSource.StoreWithDistinguishedName => Missing(credential.CertificateStorePath, "CertificateStorePath") ?? Missing(credential.CertificateDistinguishedName, "CertificateDistinguishedName"),
                CredentialSource.Base64Encoded => Missing(credential.Base64EncodedValue, "Base64EncodedValue"),
                _ => null,
            };
            if (missing is not null)
            {
                problems.Add(missing);
            }
        }

        return problems;
    }

    private static string? Value(IConfiguration configuration, string key) => Value(configuration[key]);

    private static string? Value(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>An app read from <paramref name="Path"/>; <paramref name="Settings"/> names where its credential came from.</summary>
    private sealed record ReadApplication(MicrosoftIdentityApplicationOptions Application, string Path, string Settings, List<string> Problems);
}
