using Microsoft.Extensions.Options;

namespace CredentialBot.Actions;

/// <summary>Section "Authorization": who the admins are, and whether approved elevations also create PIM assignments.</summary>
public sealed class AuthorizationOptions
{
    public const string SectionName = "Authorization";

    /// <summary>Entra object ids of people who are admins.</summary>
    public IList<string> AdminObjectIds { get; } = [];

    /// <summary>Security groups whose members (transitively) are admins; checked through Graph and cached.</summary>
    public IList<string> AdminGroupIds { get; } = [];

    /// <summary>How long a group-membership answer is reused.</summary>
    public TimeSpan AdminCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// PIM mode: an approved elevation also creates a time-bound assignment of <see cref="PimRoleDefinitionId"/>
    /// scoped to the one App (needs RoleManagement.ReadWrite.Directory).
    /// </summary>
    public bool PimEnabled { get; set; }

    /// <summary>The custom role with <c>microsoft.directory/applications/credentials/update</c> (and owners/update for owner elevations).</summary>
    public string? PimRoleDefinitionId { get; set; }
}

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
