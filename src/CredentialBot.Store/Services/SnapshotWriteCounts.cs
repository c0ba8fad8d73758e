namespace CredentialBot.Store.Services;

/// <summary>
/// What one snapshot write did with each App it was given: inserted it (new to the store), rewrote what changed,
/// found it unchanged (only its last-seen time moved), or dropped it because a newer directory read is stored.
/// </summary>
public sealed record SnapshotWriteCounts(int Inserted, int Changed, int Unchanged, int Stale);
