namespace CredentialBot.Shared.Access;

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
