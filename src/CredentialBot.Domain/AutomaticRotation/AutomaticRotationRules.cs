namespace CredentialBot.Domain;

/// <summary>
/// The rules of hands-free rotation: what makes a policy's option valid, and which credential of an App is due for it.
/// Pure: time and what the bot already handled are parameters.
/// </summary>
public static class AutomaticRotationRules
{
    /// <summary>The longest a new secret may wait for its first use before the owners are told.</summary>
    public const int MaximumUseWindowDays = 30;

    /// <summary>
    /// What is wrong with a policy's option, each as a sentence an admin can act on; empty when it is off or valid.
    /// The bot rotates within the policy's stages (1 day up to the first stage), and the new secret's use window must end
    /// before the old secret expires, so the owners hear of a consumer still reading the old one while it still works.
    /// </summary>
    public static IReadOnlyList<string> Problems(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.AutomaticRotation is not { } automatic)
        {
            return [];
        }

        var problems = new List<string>();
        if (automatic.DaysBeforeExpiry < 1 || automatic.DaysBeforeExpiry > policy.FirstStageDays)
        {
            problems.Add($"Automatic rotation {automatic.DaysBeforeExpiry} days before expiry is outside the policy's stages; it must be between 1 and {policy.FirstStageDays} days (the first stage).");
        }

        if (automatic.UseWindowDays < 1 || automatic.UseWindowDays > MaximumUseWindowDays)
        {
            problems.Add($"The new secret's use window is {automatic.UseWindowDays} days; it must be between 1 and {MaximumUseWindowDays} days.");
        }
        else if (automatic.UseWindowDays >= automatic.DaysBeforeExpiry)
        {
            problems.Add($"The new secret's use window ({automatic.UseWindowDays} days) must be shorter than the {automatic.DaysBeforeExpiry} days left when the bot rotates, so the owners hear of it before the old secret expires.");
        }

        return problems;
    }

    /// <summary>
    /// The credential of <paramref name="app"/> due for hands-free rotation at <paramref name="now"/> under
    /// <paramref name="policy"/>: a secret or certificate not yet expired with at most the option's days left, that the
    /// bot has not handled already (<paramref name="handled"/>: key ids rotated automatically, or replaced by a person's
    /// rotation); the one expiring first when several are. Null when the policy does not opt in or nothing is due.
    /// Whether a certificate may be rotated (only one its App's vault made) is the host's to check: it asks the vault.
    /// </summary>
    public static Credential? DueFor(App app, Policy policy, DateTimeOffset now, IReadOnlySet<string> handled)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(handled);
        if (policy.AutomaticRotation is not { } automatic || Problems(policy).Count > 0)
        {
            return null;
        }

        return app.Credentials
            .Where(c => !c.IsExpired(now) && c.DaysLeft(now) <= automatic.DaysBeforeExpiry && !handled.Contains(c.KeyId))
            .OrderBy(c => c.EndsAt)
            .ThenBy(c => c.KeyId, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>Whether a new secret delivered at <paramref name="deliveredAt"/> and not yet used is past its use window.</summary>
    public static bool UseWindowPassed(AutomaticRotation automatic, DateTimeOffset deliveredAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(automatic);
        return now - deliveredAt >= TimeSpan.FromDays(automatic.UseWindowDays);
    }
}
