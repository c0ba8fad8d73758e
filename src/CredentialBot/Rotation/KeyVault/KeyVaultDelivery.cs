using Azure.Security.KeyVault.Secrets;
using CredentialBot.Domain;
using Microsoft.Extensions.Options;

namespace CredentialBot.Rotation.KeyVault;

/// <summary>
/// Writes a new secret to the Key Vault its App asks for (tag <c>CredentialBot:KeyVault=…</c>), as secret
/// <c>app-&lt;appId&gt;</c> with the credential's expiry, so the requester gets a reference instead of the value.
/// </summary>
public sealed class KeyVaultDelivery(IOptions<KeyVaultOptions> options, KeyVaultDeliveryCredential credential, SecretClientOptions clientOptions)
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
        var client = new SecretClient(vault, credential.Credential, clientOptions);
        var value = new KeyVaultSecret(SecretName(app), secret.Value);
        value.Properties.ExpiresOn = secret.EndsAt;
        value.Properties.ContentType = "application/vnd.entra.client-secret";
        value.Properties.Tags["appId"] = app.AppId;
        value.Properties.Tags["keyId"] = secret.KeyId;
        var stored = await client.SetSecretAsync(value, cancellationToken);
        return new VaultReference(stored.Value.Id);
    }
}
