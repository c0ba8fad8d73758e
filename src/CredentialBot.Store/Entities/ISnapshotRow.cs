namespace CredentialBot.Store.Entities;

/// <summary>A row of a table that keeps the latest few snapshots (compliance summaries, posture reviews) in insertion order.</summary>
public interface ISnapshotRow
{
    long Id { get; }
}
