namespace CredentialBot.Scanning;

/// <summary>How a collection was read.</summary>
public enum ScanMode
{
    /// <summary>Everything was listed (first scan, or the delta link had expired).</summary>
    Full,

    /// <summary>Only what changed since the last scan.</summary>
    Delta,
}
