namespace CredentialBot.Domain;

/// <summary>
/// What ordinary users may do with apps, from the tenant's authorization policy
/// (<c>GET /policies/authorizationPolicy</c>, <c>defaultUserRolePermissions</c>).
/// </summary>
/// <param name="UsersCanRegisterApps">
/// <c>allowedToCreateApps</c>: "This setting corresponds to the Users can register applications setting"
/// (learn.microsoft.com/graph/api/resources/defaultuserrolepermissions).
/// </param>
/// <param name="UserConsentPolicies">
/// <c>permissionGrantPoliciesAssigned</c>: which app consent policies govern users' consent, "in the format
/// managePermissionGrantsForSelf.{id}"; none of that form means users cannot consent for themselves.
/// </param>
/// <param name="UserConsentForRiskyApps"><c>allowUserConsentForRiskyApps</c>, when the tenant reports it.</param>
public sealed record DefaultUserAppPermissions(bool UsersCanRegisterApps, IReadOnlyList<string> UserConsentPolicies, bool? UserConsentForRiskyApps = null)
{
    private const string SelfConsentPrefix = "ManagePermissionGrantsForSelf.";

    /// <summary>True when some app consent policy lets users consent to apps on their own behalf.</summary>
    public bool UsersCanConsent => UserConsentPolicies.Any(p => p.StartsWith(SelfConsentPrefix, StringComparison.OrdinalIgnoreCase));
}
