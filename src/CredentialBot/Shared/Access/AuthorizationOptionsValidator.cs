using Microsoft.Extensions.Options;

namespace CredentialBot.Shared.Access;

/// <summary>Refuses settings that would fail at the first approval instead of at start.</summary>
public sealed class AuthorizationOptionsValidator : IValidateOptions<AuthorizationOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PimEnabled && string.IsNullOrWhiteSpace(options.PimRoleDefinitionId))
        {
            failures.Add("Authorization:PimRoleDefinitionId is required when Authorization:PimEnabled is true.");
        }

        if (options.AdminGroupIds.Count > 20)
        {
            failures.Add("Authorization:AdminGroupIds may list at most 20 groups (Graph's checkMemberGroups limit).");
        }

        if (options.AdminCacheDuration < TimeSpan.Zero || options.AdminCacheDuration > TimeSpan.FromHours(1))
        {
            failures.Add("Authorization:AdminCacheDuration must be between 0 and 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
