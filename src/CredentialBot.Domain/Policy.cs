namespace CredentialBot.Domain;

/// <summary>
/// Named rules an App is held to. Expiry stages are days-before-expiry thresholds, most distant first
/// (e.g. 30/14/7/1); an expired credential is always its own stage.
/// </summary>
public sealed record Policy(
    string Name,
    IReadOnlyList<int> ExpiryStagesDays,
    int MinimumEntraOwners,
    int MinimumTechnicalOwners,
    int MinimumBusinessOwners,
    TimeSpan MaximumSecretLifetime,
    TimeSpan RotationGracePeriod,
    ElevationSettings Elevation,
    string? ApprovalChannelId = null)
{
    /// <summary>The product's defaults: stages 30/14/7/1 days, one technical owner, one-year secrets.</summary>
    public static Policy Default { get; } = new(
        Name: "Default",
        ExpiryStagesDays: [30, 14, 7, 1],
        MinimumEntraOwners: 1,
        MinimumTechnicalOwners: 1,
        MinimumBusinessOwners: 0,
        MaximumSecretLifetime: TimeSpan.FromDays(365),
        RotationGracePeriod: TimeSpan.FromDays(7),
        Elevation: ElevationSettings.Default);

    public int MinimumOwners(OwnerKind kind) => kind switch
    {
        OwnerKind.Entra => MinimumEntraOwners,
        OwnerKind.Technical => MinimumTechnicalOwners,
        OwnerKind.Business => MinimumBusinessOwners,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The first (most distant) alert threshold in days.</summary>
    public int FirstStageDays => ExpiryStagesDays.Count == 0 ? 0 : ExpiryStagesDays.Max();
}

/// <summary>How just-in-time elevation works under a policy.</summary>
public sealed record ElevationSettings(
    bool JustificationRequired,
    bool TicketRequired,
    TimeSpan MaximumDuration,
    bool ApprovalRequired)
{
    public static ElevationSettings Default { get; } = new(
        JustificationRequired: true,
        TicketRequired: false,
        MaximumDuration: TimeSpan.FromHours(8),
        ApprovalRequired: true);
}
