using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Hosting;

/// <summary>
/// Section "Bot": the Azure Bot identity and inbound/outbound trust. Leaving <see cref="MicrosoftAppId"/> empty
/// selects local mode (unauthenticated calls from loopback only, for the Agents Playground).
/// </summary>
public sealed class BotAuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Bot";

    /// <summary>Bot Framework's OpenID metadata (public cloud).</summary>
    public const string BotFrameworkMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The Azure Bot's Microsoft App ID (the expected token audience). Empty means local mode.</summary>
    public string? MicrosoftAppId { get; set; }

    /// <summary>The bot's home tenant (single-tenant and managed-identity bots); empty for legacy multi-tenant bots.</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>Older setting: a client secret for outbound Connector tokens (now <c>AzureAd:ClientCredentials</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Older setting: a PFX certificate for outbound Connector tokens (now <c>AzureAd:ClientCredentials</c>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PFX at <see cref="CertificatePath"/>, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Client id of the user-assigned managed identity a managed-identity Azure Bot signs in as.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Where signing keys come from; tests point this at a local endpoint.</summary>
    public string OpenIdMetadataUrl { get; set; } = BotFrameworkMetadataUrl;

    /// <summary>The only accepted token issuer.</summary>
    public string ValidIssuer { get; set; } = "https://api.botframework.com";

    /// <summary>Tenants whose activities are accepted; empty accepts any tenant (a multi-tenant bot).</summary>
    public string[] AllowedTenants { get; set; } = [];

    /// <summary>
    /// Channels whose activities are accepted (<c>Bot:AllowedChannels</c>); empty means <see cref="DefaultChannels"/>,
    /// Teams only. Configured values replace the default. In production the token's signing key must also be endorsed
    /// for the channel. Channel ids compare ordinally, as the Bot Framework compares endorsements.
    /// </summary>
    public string[] AllowedChannels { get; set; } = [];

    /// <summary>The channels served when <see cref="AllowedChannels"/> is not configured: Microsoft Teams.</summary>
    public static IReadOnlyList<string> DefaultChannels { get; } = ["msteams"];

    /// <summary>The channels actually served: <see cref="AllowedChannels"/>, or <see cref="DefaultChannels"/> when none is set.</summary>
    public IReadOnlyList<string> ServedChannels => AllowedChannels is { Length: > 0 } configured ? configured : DefaultChannels;

    /// <summary>Extra serviceUrl hosts the bot may call, beyond Teams' own (e.g. <c>*.example.com</c>).</summary>
    public string[] AllowedServiceUrls { get; set; } = [];

    /// <summary>Minimum time between forced key refreshes triggered by an unknown key id.</summary>
    public TimeSpan MinimumKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Keys are re-read at least this often, whatever happens.</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>True when no app id is configured.</summary>
    public bool IsLocalMode => string.IsNullOrWhiteSpace(MicrosoftAppId);
}

/// <summary>Stops start-up with a message naming the setting when the bot identity is half-configured.</summary>
public sealed class BotAuthOptionsValidator : IValidateOptions<BotAuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BotAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.AllowedChannels.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(options.AllowedChannels[i]) || options.AllowedChannels[i].Trim() != options.AllowedChannels[i])
            {
                failures.Add($"Bot:AllowedChannels:{i} must be a channel id such as msteams, without spaces.");
            }
        }

        if (options.IsLocalMode)
        {
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        // The outbound credential (AzureAd:ClientCredentials, Bot:ManagedIdentityClientId, or the older
        // Bot:ClientSecret / Bot:CertificatePath) is checked with the app identity, which reads them all.
        if (!Uri.TryCreate(options.OpenIdMetadataUrl, UriKind.Absolute, out _))
        {
            failures.Add("Bot:OpenIdMetadataUrl must be an absolute URL.");
        }

        if (string.IsNullOrWhiteSpace(options.ValidIssuer))
        {
            failures.Add("Bot:ValidIssuer must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
