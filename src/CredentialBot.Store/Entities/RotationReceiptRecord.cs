namespace CredentialBot.Store.Entities;

/// <summary>
/// A rotation whose new credential the bot watches in the usage reports until it is first used (the rotation
/// receipt): <see cref="FirstUsedAt"/> is set once, by a conditional update, so the rotating person is told once.
/// </summary>
public sealed class RotationReceiptRecord
{
    public long Id { get; set; }

    public required string AppObjectId { get; set; }

    public Domain.AppKind AppKind { get; set; }

    public required string NewKeyId { get; set; }

    public string? CredentialName { get; set; }

    public DateTimeOffset RotatedAt { get; set; }

    public required string RotatedByObjectId { get; set; }

    public string? RotatedByName { get; set; }

    /// <summary>Where the rotation's card was (JSON of the host's posted-card record), so it can be redrawn; null when unknown.</summary>
    public string? Card { get; set; }

    public DateTimeOffset? FirstUsedAt { get; set; }

    /// <summary>When watching stopped without a use (the credential left the App).</summary>
    public DateTimeOffset? ClosedAt { get; set; }
}
