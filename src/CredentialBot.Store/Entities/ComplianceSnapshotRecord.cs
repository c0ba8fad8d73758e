namespace CredentialBot.Store.Entities;

/// <summary>The compliance summary computed after a scan, kept so the next summary can say what changed.</summary>
public sealed class ComplianceSnapshotRecord : ISnapshotRow
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The summary as JSON (counts, per-rule counts, most urgent Apps): ids and names only, no secrets.</summary>
    public required string Summary { get; set; }
}
