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

    /// <summary>
    /// How long the remaining owners have to replace an owner found disabled or deleted before the admins are told
    /// (two weeks by default: long enough for a holiday, short enough that an App is not left half-owned for long).
    /// </summary>
    public TimeSpan OwnerReplacementGracePeriod { get; init; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Hands-free rotation into Key Vault for the Apps this policy applies to; null (the default) leaves rotation to
    /// people.
    /// </summary>
    public AutomaticRotation? AutomaticRotation { get; init; }

    public int MinimumOwners(OwnerKind kind) => kind switch
    {
        OwnerKind.Entra => MinimumEntraOwners,
        OwnerKind.Technical => MinimumTechnicalOwners,
        OwnerKind.Business => MinimumBusinessOwners,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The first (most distant) alert threshold in days.</summary>
    public int FirstStageDays => ExpiryStagesDays.Count == 0 ? 0 : ExpiryStagesDays.Max();

    /// <summary>
    /// What is wrong with this policy, each as a sentence an admin can act on; empty when it can be saved.
    /// The first stage may be 7 to 90 days ahead (earlier than 7 leaves no time to act, later than 90 is noise);
    /// later stages must be closer to expiry, down to 1 day.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
        {
            problems.Add("The name must be 1 to 100 characters.");
        }

        if (ExpiryStagesDays.Count == 0)
        {
            problems.Add("There must be at least one expiry stage.");
        }
        else
        {
            if (FirstStageDays is < 7 or > 90)
            {
                problems.Add($"The first expiry stage is {FirstStageDays} days; it must be between 7 and 90 days.");
            }

            if (ExpiryStagesDays.Any(d => d < 1))
            {
                problems.Add("Every expiry stage must be at least 1 day before expiry.");
            }

            if (ExpiryStagesDays.Distinct().Count() != ExpiryStagesDays.Count)
            {
                problems.Add("Expiry stages must all be different.");
            }
        }

        foreach (var (kind, minimum) in new[] { ("Entra", MinimumEntraOwners), ("technical", MinimumTechnicalOwners), ("business", MinimumBusinessOwners) })
        {
            if (minimum is < 0 or > 10)
            {
                problems.Add($"The minimum number of {kind} owners is {minimum}; it must be between 0 and 10.");
            }
        }

        if (MaximumSecretLifetime < TimeSpan.FromDays(1) || MaximumSecretLifetime > TimeSpan.FromDays(730))
        {
            problems.Add("The maximum secret lifetime must be between 1 day and 2 years.");
        }

        if (RotationGracePeriod < TimeSpan.Zero || RotationGracePeriod > TimeSpan.FromDays(30))
        {
            problems.Add("The rotation grace period must be between 0 and 30 days.");
        }

        if (OwnerReplacementGracePeriod < TimeSpan.FromDays(1) || OwnerReplacementGracePeriod > TimeSpan.FromDays(90))
        {
            problems.Add("The time to replace a disabled or deleted owner must be between 1 and 90 days.");
        }

        if (Elevation.MaximumDuration < TimeSpan.FromMinutes(15) || Elevation.MaximumDuration > TimeSpan.FromDays(7))
        {
            problems.Add("The maximum elevation must be between 15 minutes and 7 days.");
        }

        problems.AddRange(AutomaticRotationRules.Problems(this));
        return problems;
    }
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
