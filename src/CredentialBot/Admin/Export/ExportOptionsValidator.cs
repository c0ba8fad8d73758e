using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Export;

/// <summary>Refuses half-configured exports at start-up, naming the setting.</summary>
public sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && !Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out _))
        {
            failures.Add("Exports:PublicBaseUrl must be an absolute URL.");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && options.SigningKey is not { Length: >= 32 })
        {
            failures.Add("Exports:SigningKey must be at least 32 characters when Exports:PublicBaseUrl is set.");
        }

        if (options.LinkLifetime < TimeSpan.FromMinutes(1) || options.LinkLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("Exports:LinkLifetime must be between 1 minute and 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
