using Azure.Core;
using Azure.Identity;

namespace CredentialBot.Directory;

/// <summary>Credentials for Azure services other than Graph (Key Vault), from Azure.Identity.</summary>
public static class AzureCredentials
{
    /// <summary>A user-assigned managed identity when its client id is given, otherwise the default credential chain.</summary>
    public static TokenCredential Create(string? managedIdentityClientId) =>
        managedIdentityClientId is { Length: > 0 } id
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(id))
            : new DefaultAzureCredential();
}
