using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>Notification settings that cannot work stop start-up, naming the setting.</summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClaimDuration < TimeSpan.FromSeconds(1) || options.ClaimDuration > TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail("Notifications:ClaimDuration must be between 1 second and 1 hour (and longer than a send takes).");
        }

        if (options.DispatchInterval < TimeSpan.FromSeconds(1) || options.DispatchInterval > TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail("Notifications:DispatchInterval must be between 1 second and 1 hour.");
        }

        if (options.UnreachableRetry < TimeSpan.FromMinutes(1) || options.UnreachableRetry > TimeSpan.FromDays(7))
        {
            return ValidateOptionsResult.Fail("Notifications:UnreachableRetry must be between 1 minute and 7 days.");
        }

        if (options.UnreachableRetryLimit < options.UnreachableRetry || options.UnreachableRetryLimit > TimeSpan.FromDays(30))
        {
            return ValidateOptionsResult.Fail("Notifications:UnreachableRetryLimit must be at least Notifications:UnreachableRetry and at most 30 days.");
        }

        if (options.MaxConcurrentSends is < 1 or > 256)
        {
            return ValidateOptionsResult.Fail("Notifications:MaxConcurrentSends must be between 1 and 256.");
        }

        if (string.IsNullOrWhiteSpace(options.EscalationWebhookUrl))
        {
            return ValidateOptionsResult.Success;
        }

        if (!Uri.TryCreate(options.EscalationWebhookUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback))
        {
            return ValidateOptionsResult.Fail("Notifications:EscalationWebhookUrl must be an absolute https URL.");
        }

        return options.EscalationWebhookSecret is { Length: >= 32 }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Notifications:EscalationWebhookSecret must be set, at least 32 characters, when Notifications:EscalationWebhookUrl is.");
    }
}
