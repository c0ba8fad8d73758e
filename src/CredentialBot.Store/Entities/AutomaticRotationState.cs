namespace CredentialBot.Store.Entities;

/// <summary>Where a hands-free rotation is.</summary>
public enum AutomaticRotationState
{
    /// <summary>Due; nothing created yet (or a failed attempt was undone).</summary>
    Pending,

    /// <summary>
    /// addPassword may have been called; a secret carrying the marker may exist without its value. For a certificate: the
    /// vault may have been asked for a new version (tagged with the marker), which the next attempt adds rather than making another.
    /// </summary>
    Adding,

    /// <summary>Entra created the new secret (or took the new certificate; its key id is recorded); not yet recorded delivered.</summary>
    Added,

    /// <summary>The value is in the App's vault (a certificate: made there and on the App); waiting for its first use.</summary>
    Delivered,

    /// <summary>Used: the old secret's removal is scheduled with the janitor.</summary>
    RemovalScheduled,

    /// <summary>The App has no allowed vault; reopened when it gets one.</summary>
    Refused,

    /// <summary>
    /// A certificate the App's vault did not make (uploaded, or made elsewhere): the bot cannot renew it where its
    /// consumers read it, so people rotate it; unlike <see cref="Refused"/> it is not reopened when the App has a vault.
    /// </summary>
    LeftToPeople,

    /// <summary>The old secret left the App before the rotation was done (rotated by a person, removed); nothing more to do.</summary>
    Abandoned,
}
