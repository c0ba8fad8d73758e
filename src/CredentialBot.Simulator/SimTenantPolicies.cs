namespace CredentialBot.Simulator;

/// <summary>
/// The tenant-wide settings Graph serves under <c>/policies</c>. The defaults are a new tenant's: users may register
/// apps and consent to them under Microsoft's legacy user-consent policy, no app-management restrictions, no admin
/// consent workflow.
/// </summary>
public sealed class SimTenantPolicies
{
    /// <summary><c>authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps</c>.</summary>
    public bool UsersCanRegisterApps { get; set; } = true;

    /// <summary><c>authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned</c>.</summary>
    public List<string> PermissionGrantPoliciesAssigned { get; } = ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"];

    /// <summary><c>authorizationPolicy.allowUserConsentForRiskyApps</c>.</summary>
    public bool AllowUserConsentForRiskyApps { get; set; }

    /// <summary><c>adminConsentRequestPolicy.isEnabled</c>.</summary>
    public bool AdminConsentRequestsEnabled { get; set; }

    public SimAppManagementPolicy AppManagement { get; } = new();
}
