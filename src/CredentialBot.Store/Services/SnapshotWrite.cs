namespace CredentialBot.Store.Services;

/// <summary>
/// One snapshot write: what it did with each App, and the object ids of the Apps it inserted. Until the write's
/// transaction ends, the store holds nothing else about those Apps: their rows are new and taken by this writer, and
/// every credential, owner and flag of an App hangs off its row.
/// </summary>
public sealed record SnapshotWrite(SnapshotWriteCounts Counts, IReadOnlySet<string> Inserted);
