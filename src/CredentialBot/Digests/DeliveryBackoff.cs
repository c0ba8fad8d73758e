namespace CredentialBot.Digests;

/// <summary>
/// When a notice that could not be delivered is tried again: when the Connector says (Retry-After), otherwise after 2^n
/// minutes for its n-th attempt; after <see cref="MaxAttempts"/> it is not tried again.
/// </summary>
public static class DeliveryBackoff
{
    public const int MaxAttempts = 6;

    /// <summary>The next attempt, or null when the notice has had its last one.</summary>
    public static DateTimeOffset? NextAttempt(int attempts, DateTimeOffset now, TimeSpan? retryAfter = null) =>
        attempts >= MaxAttempts ? null : now + (retryAfter ?? TimeSpan.FromMinutes(Math.Pow(2, attempts)));

    /// <summary>
    /// When to look again for a person nobody could reach: after as long as their notice has waited, at least
    /// <paramref name="first"/> and at most <paramref name="limit"/>, so the looks thin out (doubling) the longer they stay
    /// out of reach.
    /// </summary>
    public static DateTimeOffset NextReachAttempt(DateTimeOffset waitingSince, DateTimeOffset now, TimeSpan first, TimeSpan limit)
    {
        var waited = now - waitingSince;
        return now + (waited < first ? first : waited > limit ? limit : waited);
    }
}
