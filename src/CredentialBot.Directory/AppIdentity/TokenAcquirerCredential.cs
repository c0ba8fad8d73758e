using Azure.Core;
using Microsoft.Identity.Abstractions;

namespace CredentialBot.Directory;

/// <summary>
/// An Azure SDK credential (Graph's <c>GraphServiceClient</c>, Key Vault's <c>SecretClient</c>) whose tokens come from
/// Identity.Web's token acquisition for one consumer of the app identity.
/// </summary>
public sealed class TokenAcquirerCredential(ITokenAcquirer acquirer) : TokenCredential
{
    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        // App tokens have one resource: the SDKs ask for "<resource>/.default".
        var scope = requestContext.Scopes is [var only] ? only : throw new ArgumentException("An app token is requested for exactly one scope.", nameof(requestContext));
        var result = await acquirer.GetTokenForAppAsync(scope, new AcquireTokenOptions { Claims = requestContext.Claims }, cancellationToken).ConfigureAwait(false);
        return new AccessToken(result.AccessToken ?? throw new InvalidOperationException("Token acquisition returned no access token."), result.ExpiresOn);
    }

    // Every Azure SDK call the bot makes is asynchronous; blocking on token acquisition would tie up a thread.
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Use the asynchronous Azure SDK methods: tokens are acquired asynchronously.");
}
