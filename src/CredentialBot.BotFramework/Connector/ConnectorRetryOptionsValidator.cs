using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Connector;

/// <summary>Stops start-up with a message naming the setting when <see cref="ConnectorRetryOptions"/> cannot work.</summary>
public sealed class ConnectorRetryOptionsValidator : IValidateOptions<ConnectorRetryOptions>
{
    /// <summary>Polly's own bound on a retry delay.</summary>
    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ConnectorRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = ConnectorRetryOptions.SectionName;
        var failures = new List<string>();
        if (options.MaxRetries is < 0 or > ConnectorRetryOptions.MaxRetriesLimit)
        {
            failures.Add($"{Section}:MaxRetries must be between 0 (no retries) and {ConnectorRetryOptions.MaxRetriesLimit}; it is {options.MaxRetries}.");
        }

        if (options.BaseDelay < TimeSpan.Zero || options.BaseDelay > LongestDelay)
        {
            failures.Add($"{Section}:BaseDelay must be between 00:00:00 and 1.00:00:00; it is {options.BaseDelay}.");
        }

        if (options.MaxDelay <= TimeSpan.Zero || options.MaxDelay < options.BaseDelay)
        {
            failures.Add($"{Section}:MaxDelay must be positive and at least {Section}:BaseDelay ({options.BaseDelay}); it is {options.MaxDelay}.");
        }

        if (options.TokenTimeout <= TimeSpan.Zero || options.TokenTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{Section}:TokenTimeout must be more than 0 and at most 00:01:00; it is {options.TokenTimeout}.");
        }

        if (options.TokenRetryAfterFailure < TimeSpan.Zero)
        {
            failures.Add($"{Section}:TokenRetryAfterFailure must not be negative; it is {options.TokenRetryAfterFailure}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
