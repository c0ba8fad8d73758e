using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Import;

/// <summary>Import settings that cannot work stop start-up, naming the setting.</summary>
public sealed class ImportOptionsValidator : IValidateOptions<ImportOptions>
{
    /// <summary>The largest file the import takes at all; larger imports are split or run through the CLI.</summary>
    public const int MaxFileBytesLimit = 50_000_000;

    public ValidateOptionsResult Validate(string? name, ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxFileBytes is < 1 or > MaxFileBytesLimit)
        {
            failures.Add($"Import:MaxFileBytes must be between 1 and {MaxFileBytesLimit}.");
        }

        failures.AddRange(options.AllowedDownloadHosts
            .Select((host, index) => (host, index))
            .Where(h => string.IsNullOrWhiteSpace(h.host) || h.host.Contains('/', StringComparison.Ordinal) || h.host == "*." || (h.host.Contains('*', StringComparison.Ordinal) && !h.host.StartsWith("*.", StringComparison.Ordinal)))
            .Select(h => $"Import:AllowedDownloadHosts:{h.index} must be a host name, or *.domain for its subdomains."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
