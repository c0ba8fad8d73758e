namespace CredentialBot.Store.Entities;

/// <summary>Where a hands-free rotation is.</summary>
public enum AutomaticRotationState
{
    /// <summary>Due; nothing created yet (or a failed attempt was undone).</summary>
    Pending,

    /// <summary>addPassword may have been called; a secret carrying the marker may exist without its value.</summary>
    Adding,

    /// <summary>Entra created the new secret (its key id is recorded); the vault write has not been confirmed.</summary>
    Added,

    /// <summary>The value is in the App's vault; waiting for the new secret's first use.</summary>
    Delivered,

    /// <summary>Used: the old secret's removal is scheduled with the janitor.</summary>
    RemovalScheduled,

    /// <summary>The App has no allowed vault; reopened when it gets one.</summary>
    Refused,

    /// <summary>The old secret left the App before the rotation was done (rotated by a person, removed); nothing more to do.</summary>
    Abandoned,
}
