namespace CredentialBot.Domain;

/// <summary>
/// The compliance summary and the posture counts of a whole catalog, taken one judged App at a time (a walk of the
/// store, or a full listing of the directory as it is written) so a tenant of any size is counted without being held in
/// memory. A listing may return an App twice (Graph's pages are not a snapshot); each App counts once, as first given.
/// </summary>
public sealed class CatalogTally(TenantPosture tenant, DateTimeOffset now)
{
    // Entra object ids are GUIDs, kept as 16 bytes; anything else (tests' names) as text.
    private readonly HashSet<Guid> _seenIds = [];
    private readonly HashSet<string> _seenNames = new(StringComparer.Ordinal);

    /// <summary>The tenant's settings, read when the tally began.</summary>
    public TenantPosture Tenant { get; } = tenant ?? throw new ArgumentNullException(nameof(tenant));

    public ComplianceTally Compliance { get; } = new(now);

    public PostureTally Posture { get; } = new(now, tenant.AppManagement.Value);

    /// <summary>Counts <paramref name="judged"/> unless its App was counted before; false when it was.</summary>
    public bool Add(AppCompliance judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var id = judged.App.ObjectId;
        if (!(Guid.TryParse(id, out var guid) ? _seenIds.Add(guid) : _seenNames.Add(id)))
        {
            return false;
        }

        Compliance.Add(judged.App, judged.Findings);
        Posture.Add(judged.App, judged.Policy);
        return true;
    }
}
