using Microsoft.Identity.Abstractions;

namespace CredentialBot.Directory;

/// <summary>
/// Where one consumer's tokens come from: an Entra app signing in with Microsoft.Identity.Web's client credentials
/// (a secret, a certificate, or a managed identity's token presented as a federated assertion), or a user-assigned
/// managed identity used directly. <see cref="Settings"/> names the configuration it came from, for messages.
/// </summary>
public sealed record TokenSource(MicrosoftIdentityApplicationOptions? Application, string? ManagedIdentityClientId, string? Tenant, string Settings)
{
    /// <summary>The per-request options Identity.Web needs for this source.</summary>
    public AcquireTokenOptions ToAcquireTokenOptions() => new()
    {
        ManagedIdentity = ManagedIdentityClientId is { Length: > 0 } id ? new ManagedIdentityOptions { UserAssignedClientId = id } : null,
        Tenant = Application is null ? null : Tenant,
    };
}
