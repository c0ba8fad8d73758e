using CredentialBot.Domain;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation;

/// <summary>What a rotation did: the new secret (only its requester ever sees the value), where it went, what it replaces.</summary>
/// <param name="App">The App as re-read from the directory after the change.</param>
/// <param name="Secret">The new secret.</param>
/// <param name="StoredIn">The Key Vault secret it was written to; null when it is shown once instead.</param>
/// <param name="VaultFailure">Why the vault did not take it, when it should have.</param>
/// <param name="Removal">The scheduled removal of the replaced secret.</param>
public sealed record RotationOutcome(App App, NewSecret Secret, VaultReference? StoredIn, string? VaultFailure, SecretRemoval? Removal);
