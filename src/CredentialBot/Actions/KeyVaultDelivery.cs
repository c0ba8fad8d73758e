using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using CredentialBot.Domain;
using Microsoft.Extensions.Options;

namespace CredentialBot.Actions;

/// <summary>Section "KeyVault": the vaults new secrets may be written to, and how the bot signs in to them.</summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "KeyVault";

    /// <summary>
    /// Vault URIs (https://name.vault.azure.net/) an App may ask for. An App names one with the tag
    /// <c>CredentialBot:KeyVault=&lt;vault URI&gt;</c>; any other vault is refused, so nobody can make the bot write into a
    /// vault it was not meant to.
    /// </summary>
    public IList<string> AllowedVaults { get; } = [];

    /// <summary>
    /// A user-assigned managed identity for Key Vault. Without it (or <c>KeyVault:AzureAd</c>), Key Vault is reached with
    /// the bot's own identity; <see cref="CredentialBot.Directory.AppIdentityConfiguration"/> reads these settings.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }
}

/// <summary>The credential Key Vault calls use (a holder, so tests can swap it without touching other Azure clients).</summary>
public sealed record KeyVaultDeliveryCredential(TokenCredential Credential);

/// <summary>Where a rotated secret was stored instead of being shown.</summary>
public sealed record VaultReference(Uri SecretId);

/// <summary>
/// Writes a new secret to the Key Vault its App asks for (tag <c>CredentialBot:KeyVault=…</c>), as secret
/// <c>app-&lt;appId&gt;</c> with the credential's expiry, so the requester gets a reference instead of the value.
/// </summary>
public sealed class KeyVaultDelivery(IOptions<KeyVaultOptions> options, TokenCredential credential, SecretClientOptions clientOptions)
{
    public const string TagPrefix = "CredentialBot:KeyVault=";

    /// <summary>The vault the App asks for: null when it asks for none; a refusal when it asks for one that is not allowed.</summary>
    public (Uri? Vault, string? Refusal) VaultFor(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var tag = app.TagsOrEmpty.FirstOrDefault(t => t.StartsWith(TagPrefix, StringComparison.OrdinalIgnoreCase));
        if (tag is null)
        {
            return (null, null);
        }

        var asked = tag[TagPrefix.Length..].Trim();
        var allowed = options.Value.AllowedVaults
            .Select(v => Uri.TryCreate(v, UriKind.Absolute, out var u) ? u : null)
            .FirstOrDefault(u => u is not null && Uri.TryCreate(asked, UriKind.Absolute, out var a) && a.Scheme == Uri.UriSchemeHttps && string.Equals(u.Host, a.Host, StringComparison.OrdinalIgnoreCase) && u.Port == a.Port);
        return allowed is null
            ? (null, $"{app.DisplayName} asks for its secrets to go to Key Vault '{asked}', which is not in KeyVault:AllowedVaults. Nothing was changed; ask an admin.")
            : (allowed, null);
    }

    public static string SecretName(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var safe = new string([.. app.AppId.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')]);
        return "app-" + safe[..Math.Min(safe.Length, 120)];
    }

    public async Task<VaultReference> StoreAsync(Uri vault, App app, NewSecret secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var client = new SecretClient(vault, credential, clientOptions);
        var value = new KeyVaultSecret(SecretName(app), secret.Value);
        value.Properties.ExpiresOn = secret.EndsAt;
        value.Properties.ContentType = "application/vnd.entra.client-secret";
        value.Properties.Tags["appId"] = app.AppId;
        value.Properties.Tags["keyId"] = secret.KeyId;
        Response<KeyVaultSecret> stored = await client.SetSecretAsync(value, cancellationToken).ConfigureAwait(false);
        return new VaultReference(stored.Value.Id);
    }
}
