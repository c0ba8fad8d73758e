namespace CredentialBot.Store.Services;

/// <summary>What verify-audit concluded (its exit code: 0, 1, 2).</summary>
public enum AuditVerdict
{
    /// <summary>Every event verifies under the key and matches every checkpoint.</summary>
    Intact,

    /// <summary>Something was edited, deleted, rewritten or forged, or there are no checkpoints to prove otherwise.</summary>
    Broken,

    /// <summary>The key is missing or is not the trail's key: nothing could be verified.</summary>
    Misconfigured,
}
