using Azure.Core;

namespace CredentialBot.Rotation.KeyVault;

/// <summary>The credential Key Vault calls use (a holder, so tests can swap it without touching other Azure clients).</summary>
/// <param name="Credential">The token credential for the vaults.</param>
public sealed record KeyVaultDeliveryCredential(TokenCredential Credential);
