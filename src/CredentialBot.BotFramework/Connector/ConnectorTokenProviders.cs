using Azure.Core;
using Azure.Identity;
using CredentialBot.BotFramework.Hosting;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Connector;

/// <summary>Local mode: the Agents Playground's mocked connector takes no token, so none is sent.</summary>
public sealed class NoConnectorToken : IConnectorTokenProvider
{
    /// <inheritdoc />
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}

/// <summary>
/// Client-credentials tokens from Azure.Identity (secret, certificate or managed identity), cached until five
/// minutes before expiry. Single-tenant bots use their tenant as authority; multi-tenant ones botframework.com.
/// </summary>
public sealed class AzureIdentityConnectorTokenProvider : IConnectorTokenProvider, IDisposable
{
    private const string Scope = "https://api.botframework.com/.default";
    private readonly TokenCredential _credential;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken _cached;

    /// <summary>Builds the credential from <see cref="BotAuthOptions"/>.</summary>
    public AzureIdentityConnectorTokenProvider(IOptions<BotAuthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        var o = options.Value;
        var tenant = string.IsNullOrWhiteSpace(o.MicrosoftAppTenantId) ? "botframework.com" : o.MicrosoftAppTenantId;
        _credential = o switch
        {
            { ClientSecret: { Length: > 0 } secret } => new ClientSecretCredential(tenant, o.MicrosoftAppId, secret),
            { CertificatePath: { Length: > 0 } path } => new ClientCertificateCredential(tenant, o.MicrosoftAppId, path, new ClientCertificateCredentialOptions()),
            _ => new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(o.ManagedIdentityClientId ?? o.MicrosoftAppId)),
        };
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (IsFresh())
        {
            return _cached.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsFresh())
            {
                _cached = await _credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
            }

            return _cached.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private bool IsFresh() => _cached.Token is not null && _cached.ExpiresOn - TimeSpan.FromMinutes(5) > _time.GetUtcNow();
}
