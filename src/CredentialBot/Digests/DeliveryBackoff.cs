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
}
