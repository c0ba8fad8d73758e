using Microsoft.Identity.Abstractions;

namespace CredentialBot.BotFramework.Connector;

/// <summary>Local mode: the Agents Playground's mocked connector takes no token, so none is sent.</summary>
public sealed class NoConnectorToken : IConnectorTokenProvider
{
    /// <inheritdoc />
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}

/// <summary>
/// Bot Connector tokens from Microsoft.Identity.Web's token acquisition: the acquirer registered under
/// <see cref="IdentityName"/> signs in as the bot (client credentials of its Entra app, or its managed identity).
/// Identity.Web caches the token and renews it before it expires, so every call may ask.
/// </summary>
public sealed class TokenAcquirerConnectorTokenProvider(ITokenAcquirer acquirer) : IConnectorTokenProvider
{
    /// <summary>The key of the bot's <see cref="ITokenAcquirer"/> in the service provider.</summary>
    public const string IdentityName = "Bot";

    /// <summary>The Bot Connector's resource, for every cloud channel Teams uses.</summary>
    public const string Scope = "https://api.botframework.com/.default";

    /// <inheritdoc />
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var result = await acquirer.GetTokenForAppAsync(Scope, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.AccessToken;
    }
}
