using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;

namespace CredentialBot.Directory;

/// <summary>
/// One consumer's tokens: Identity.Web's acquirer for the consumer's <see cref="TokenSource"/>, with the source's
/// options (managed identity, tenant) applied to every request, so a consumer only names the scope. Identity.Web
/// (MSAL) caches app tokens and renews them before they expire. The source is looked up at the first token, so a
/// consumer that is never used (Key Vault in local mode) needs no identity.
/// </summary>
internal sealed class ConfiguredTokenAcquirer(IServiceProvider services, string name) : ITokenAcquirer
{
    private readonly Lazy<(ITokenAcquirer Inner, TokenSource Source)> _resolved = new(() => Resolve(services, name));

    public Task<AcquireTokenResult> GetTokenForAppAsync(string scope, AcquireTokenOptions? tokenAcquisitionOptions = null, CancellationToken cancellationToken = default)
    {
        var (inner, source) = _resolved.Value;
        var options = source.ToAcquireTokenOptions();
        options.Claims = tokenAcquisitionOptions?.Claims;
        options.ForceRefresh = tokenAcquisitionOptions?.ForceRefresh ?? false;
        options.CorrelationId = tokenAcquisitionOptions?.CorrelationId;
        return inner.GetTokenForAppAsync(scope, options, cancellationToken);
    }

    // The bot acts as itself only: no user tokens, no on-behalf-of.
    public Task<AcquireTokenResult> GetTokenForUserAsync(IEnumerable<string> scopes, AcquireTokenOptions? tokenAcquisitionOptions = null, ClaimsPrincipal? user = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{name} signs in as an application; user tokens are not used.");

    private static (ITokenAcquirer, TokenSource) Resolve(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptions<AppIdentityOptions>>().Value;
        if (!options.Sources.TryGetValue(name, out var source))
        {
            throw new InvalidOperationException($"{name} has no identity to sign in with. {string.Join(" ", options.Problems)}".TrimEnd());
        }

        var factory = services.GetRequiredService<ITokenAcquirerFactory>();
        return (source.Application is { } application ? factory.GetTokenAcquirer(application) : factory.GetTokenAcquirer(), source);
    }
}
