namespace CredentialBot.Store.Services;

/// <summary>
/// One snapshot write, by object id: what it inserted, and what it read of the other Apps while taking them. Until the
/// write's transaction ends, the store holds nothing else about the inserted Apps: their rows are new and taken by this
/// writer, and every credential, owner and flag of an App hangs off its row. The other Apps' rows are taken too, so what
/// the write read of them stays true until then.
/// </summary>
/// <param name="Counts">What the write did with each App.</param>
/// <param name="Inserted">The Apps it inserted.</param>
/// <param name="ExternallyManaged">The stored Apps flagged as managed outside CredentialBot.</param>
/// <param name="KeptNewer">
/// The stored Apps the store holds from a directory read that began after this write's: the write left them as they
/// were, since an older read never replaces a newer one.
/// </param>
public sealed record SnapshotWrite(SnapshotWriteCounts Counts, IReadOnlySet<string> Inserted, IReadOnlySet<string> ExternallyManaged, IReadOnlySet<string> KeptNewer)
{
    /// <summary>A write of no App.</summary>
    public static SnapshotWrite Nothing { get; } = new(new SnapshotWriteCounts(0, 0, 0, 0), new HashSet<string>(), new HashSet<string>(), new HashSet<string>());
}
