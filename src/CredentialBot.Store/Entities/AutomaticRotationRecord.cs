namespace CredentialBot.Store.Entities;

/// <summary>
/// One hands-free rotation of one secret or Key Vault-made certificate: created once per (App, old secret) — the unique index is what makes a second
/// instance or a second round rotate nothing — and moved through its states by conditional updates. It holds where the
/// new value went (the vault secret's id), never the value.
/// </summary>
public sealed class AutomaticRotationRecord
{
    public long Id { get; set; }

    public required string AppObjectId { get; set; }

    public Domain.AppKind AppKind { get; set; }

    /// <summary>The credential being replaced.</summary>
    public required string OldKeyId { get; set; }

    /// <summary>Whether a secret or a certificate is rotated (rows from before certificates were rotated are secrets).</summary>
    public Domain.CredentialKind CredentialKind { get; set; }

    public string? OldCredentialName { get; set; }

    public DateTimeOffset OldEndsAt { get; set; }

    /// <summary>The policy that asked for the rotation, recorded as the reason of every audit event.</summary>
    public required string PolicyName { get; set; }

    /// <summary>
    /// The new secret's display name, unique to this rotation and written before Graph is called: after a crash, the
    /// secret an earlier attempt created (whose value is lost) is found on the App by this name and removed.
    /// </summary>
    public required string Marker { get; set; }

    public AutomaticRotationState State { get; set; }

    /// <summary>Attempts at addPassword so far.</summary>
    public int Attempts { get; set; }

    /// <summary>While set and in the future, the row is an instance's (or waits for a retry); nobody else touches it.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public string? NewKeyId { get; set; }

    public DateTimeOffset? NewEndsAt { get; set; }

    /// <summary>The Key Vault secret version the new value was written to; for a certificate, the vault certificate version.</summary>
    public string? VaultSecretId { get; set; }

    /// <summary>A new certificate's thumbprint (public), for the owners and the audit trail; null for a secret.</summary>
    public string? NewThumbprint { get; set; }

    /// <summary>Why the last attempt failed, or why the rotation was refused.</summary>
    public string? Problem { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>When the owners (or the admins, for a refusal) were told.</summary>
    public DateTimeOffset? ToldAt { get; set; }

    /// <summary>When the old secret's removal was scheduled, after the new one's first use.</summary>
    public DateTimeOffset? RemovalScheduledAt { get; set; }

    /// <summary>When the owners were told the new secret was not used within the policy's window.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }
}
