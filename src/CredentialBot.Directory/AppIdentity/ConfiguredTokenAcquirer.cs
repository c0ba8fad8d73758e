using System.Security.Claims;
using Microsoft.Identity.Abstractions;

namespace CredentialBot.Directory;

/// <summary>
/// One consumer's tokens: Identity.Web's acquirer for the consumer's <see cref="TokenSource"/>, with the source's
/// options (managed identity, tenant) applied to every request, so a consumer only names the scope. Identity.Web
/// (MSAL) caches app tokens and renews them before they expire.
/// </summary>
internal sealed class ConfiguredTokenAcquirer(ITokenAcquirer inner, TokenSource source) : ITokenAcquirer
{
    public Task<AcquireTokenResult> GetTokenForAppAsync(string scope, AcquireTokenOptions? tokenAcquisitionOptions = null, CancellationToken cancellationToken = default)
    {
        var options = source.ToAcquireTokenOptions();
        options.Claims = tokenAcquisitionOptions?.Claims;
        options.ForceRefresh = tokenAcquisitionOptions?.ForceRefresh ?? false;
        options.CorrelationId = tokenAcquisitionOptions?.CorrelationId;
        return inner.GetTokenForAppAsync(scope, options, cancellationToken);
    }

    // The bot acts as itself only: no user tokens, no on-behalf-of.
    public Task<AcquireTokenResult> GetTokenForUserAsync(IEnumerable<string> scopes, AcquireTokenOptions? tokenAcquisitionOptions = null, ClaimsPrincipal? user = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{source.Settings} signs in as an application; user tokens are not used.");
}
