namespace CredentialBot.Domain;

/// <summary>The rules for rotating a secret under an App's policy and, where readable, the tenant's own lifetime limit.</summary>
public static class RotationRules
{
    public static readonly IReadOnlyList<int> LifetimeChoicesDays = [30, 90, 180, 365, 730];

    public static readonly IReadOnlyList<int> GraceChoicesDays = [0, 1, 3, 7, 14, 30];

    public const int MaxDescriptionLength = 100;

    /// <summary>The longest lifetime allowed: the policy's maximum, lowered by the tenant's limit when there is one.</summary>
    public static TimeSpan MaximumLifetime(Policy policy, TimeSpan? tenantMaximum)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return tenantMaximum is { } tenant && tenant < policy.MaximumSecretLifetime ? tenant : policy.MaximumSecretLifetime;
    }

    /// <summary>Lifetimes (days) to offer, all within the maximum; the maximum itself when no standard choice fits.</summary>
    public static IReadOnlyList<int> LifetimesUnder(Policy policy, TimeSpan? tenantMaximum)
    {
        var maximum = MaximumLifetime(policy, tenantMaximum);
        var choices = LifetimeChoicesDays.Where(d => TimeSpan.FromDays(d) <= maximum).ToList();
        return choices.Count > 0 ? choices : [Math.Max(1, (int)maximum.TotalDays)];
    }

    /// <summary>Each problem as a sentence; empty when the rotation may go ahead.</summary>
    public static IReadOnlyList<string> Problems(Policy policy, TimeSpan? tenantMaximum, int lifetimeDays, int graceDays, string? description)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<string>();
        var maximum = MaximumLifetime(policy, tenantMaximum);
        if (lifetimeDays < 1)
        {
            problems.Add("Choose how long the new secret should be valid.");
        }
        else if (TimeSpan.FromDays(lifetimeDays) > maximum)
        {
            problems.Add(tenantMaximum is { } t && t < policy.MaximumSecretLifetime
                ? $"{lifetimeDays} days is longer than the tenant's app-management policy allows ({t.TotalDays:0} days at most)."
                : $"{lifetimeDays} days is longer than policy {policy.Name} allows ({policy.MaximumSecretLifetime.TotalDays:0} days at most).");
        }

        if (graceDays < 0 || graceDays > 30)
        {
            problems.Add("The old secret can be kept for 0 to 30 days.");
        }

        if (description?.Length > MaxDescriptionLength)
        {
            problems.Add($"The description is {description.Length} characters; at most {MaxDescriptionLength}.");
        }

        return problems;
    }
}
