namespace CredentialBot.Rotation.KeyVault;

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
    /// the bot's own identity; the Directory layer's <c>AppIdentityConfiguration</c> reads these settings.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }
}
