using Microsoft.Extensions.Options;

namespace CredentialBot.Rotation.KeyVault;

/// <summary>
/// An allowed vault that is not an https address would never match an App's tag (only https vaults are used), so it
/// stops start-up, naming the entry.
/// </summary>
public sealed class KeyVaultOptionsValidator : IValidateOptions<KeyVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.AllowedVaults
            .Select((vault, index) => (vault, index))
            .Where(v => !Uri.TryCreate(v.vault, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            .Select(v => $"KeyVault:AllowedVaults:{v.index} must be a vault's https address, e.g. https://contoso.vault.azure.net/.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
