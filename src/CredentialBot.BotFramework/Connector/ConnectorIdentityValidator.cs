using CredentialBot.BotFramework.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;

namespace CredentialBot.BotFramework.Connector;

/// <summary>
/// Outside local mode the bot must be able to sign in for replies: stops start-up when no token acquirer is
/// registered for it (the app identity checks the credentials themselves and names their settings).
/// </summary>
public sealed class ConnectorIdentityValidator(IServiceProviderIsKeyedService services) : IValidateOptions<BotAuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BotAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IsLocalMode || services.IsKeyedService(typeof(ITokenAcquirer), TokenAcquirerConnectorTokenProvider.IdentityName)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Bot:MicrosoftAppId is set but nothing signs the bot in: register the app identity and set AzureAd:ClientCredentials, Bot:ManagedIdentityClientId, or the older Bot:ClientSecret / Bot:CertificatePath.");
    }
}
