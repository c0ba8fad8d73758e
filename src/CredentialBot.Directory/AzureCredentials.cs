using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Abstractions;

namespace CredentialBot.Directory;

/// <summary>Credentials for Azure services other than Graph (Key Vault), from the app identity.</summary>
public static class AzureCredentials
{
    /// <summary>
    /// The Key Vault credential: <c>KeyVault:ManagedIdentityClientId</c>, <c>KeyVault:AzureAd</c>, or by default the
    /// bot's own identity (see <see cref="AppIdentityConfiguration"/>).
    /// </summary>
    public static TokenCredential ForKeyVault(IServiceProvider services) =>
        new TokenAcquirerCredential(services.GetRequiredKeyedService<ITokenAcquirer>(AppIdentityNames.KeyVault));
}
