using CredentialBot.Domain;
using CredentialBot.Store.Entities;

namespace CredentialBot.Store.Services;

/// <summary>A hands-free rotation of a secret or a certificate as the host reads it (never a secret value: the store has none).</summary>
/// <param name="Id">The row.</param>
/// <param name="AppObjectId">The App.</param>
/// <param name="AppKind">Application or service principal.</param>
/// <param name="OldKeyId">The secret being replaced.</param>
/// <param name="OldCredentialName">Its display name.</param>
/// <param name="OldEndsAt">When it expires.</param>
/// <param name="PolicyName">The policy that asked for the rotation.</param>
/// <param name="Marker">The new secret's display name, unique to this rotation.</param>
/// <param name="State">Where it is.</param>
/// <param name="Attempts">addPassword attempts so far.</param>
/// <param name="NewKeyId">The new secret, once Entra created it.</param>
/// <param name="NewEndsAt">When the new secret expires.</param>
/// <param name="VaultSecretId">The vault secret version holding the new value; for a certificate, the vault certificate version.</param>
/// <param name="Problem">Why the last attempt failed, or why it was refused.</param>
/// <param name="CreatedAt">When the bot found the secret due.</param>
/// <param name="DeliveredAt">When the value reached the vault.</param>
/// <param name="FirstUsedAt">The new secret's first use, from its rotation receipt.</param>
/// <param name="RemovalScheduledAt">When the old secret's removal was scheduled.</param>
/// <param name="EscalatedAt">When the owners were told the new secret was not used in time.</param>
public sealed record AutomaticRotationEntry(
    long Id,
    string AppObjectId,
    AppKind AppKind,
    string OldKeyId,
    string? OldCredentialName,
    DateTimeOffset OldEndsAt,
    string PolicyName,
    string Marker,
    AutomaticRotationState State,
    int Attempts,
    string? NewKeyId,
    DateTimeOffset? NewEndsAt,
    string? VaultSecretId,
    string? Problem,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? FirstUsedAt,
    DateTimeOffset? RemovalScheduledAt,
    DateTimeOffset? EscalatedAt)
{
    /// <summary>A secret or a (Key Vault-made) certificate.</summary>
    public CredentialKind Kind { get; init; } = CredentialKind.Secret;

    /// <summary>The new certificate's thumbprint; null for a secret.</summary>
    public string? NewThumbprint { get; init; }

    /// <summary>"secret" or "certificate", for sentences.</summary>
    public string KindName => Kind == CredentialKind.Certificate ? "certificate" : "secret";
}
