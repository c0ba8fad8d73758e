namespace CredentialBot.Rotation.KeyVault;

/// <summary>Where a rotated secret was stored instead of being shown.</summary>
/// <param name="SecretId">The Key Vault secret's versioned id.</param>
public sealed record VaultReference(Uri SecretId);
