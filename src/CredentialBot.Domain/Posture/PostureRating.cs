namespace CredentialBot.Domain;

/// <summary>How one tenant posture check came out.</summary>
public enum PostureRating
{
    /// <summary>The setting keeps credential sprawl in check.</summary>
    Good,

    /// <summary>The setting invites credential sprawl or risk: the finding says which, the why says what to do.</summary>
    AtRisk,

    /// <summary>The setting could not be read (typically a Graph permission not granted, which the finding names).</summary>
    Unknown,
}
