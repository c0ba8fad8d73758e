namespace CredentialBot.BotFramework.Connector;

/// <summary>
/// Section <c>Bot:ConnectorRetry</c>: how the Connector client retries (Microsoft's guidance: about 3 retries, seconds
/// apart) and how long it waits for the bot's outbound token. Validated at start-up by
/// <see cref="ConnectorRetryOptionsValidator"/>.
/// </summary>
public sealed class ConnectorRetryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Bot:ConnectorRetry";

    /// <summary>Largest accepted <see cref="MaxRetries"/>: more would hold a send for minutes.</summary>
    public const int MaxRetriesLimit = 10;

    /// <summary>Retries after the first attempt; 0 sends once and never retries.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay when no Retry-After is given.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound for any single wait.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a send waits for the outbound token before giving up (an unreachable or refusing authority can
    /// otherwise hold every reply for the credential library's own retries).
    /// </summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After a failed token acquisition, sends fail at once for this long before the token is tried again.</summary>
    public TimeSpan TokenRetryAfterFailure { get; set; } = TimeSpan.FromSeconds(30);
}
