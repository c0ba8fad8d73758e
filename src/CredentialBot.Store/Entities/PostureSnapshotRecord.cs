namespace CredentialBot.Store.Entities;

/// <summary>The tenant posture reviewed after a scan, kept so the next review can say what changed.</summary>
public sealed class PostureSnapshotRecord : ISnapshotRow
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The review as JSON (checks, ratings, findings, links): tenant settings and counts only, no secrets.</summary>
    public required string Report { get; set; }
}
