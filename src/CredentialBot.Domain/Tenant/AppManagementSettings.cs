namespace CredentialBot.Domain;

/// <summary>
/// The tenant's default app-management policy (<c>GET /policies/defaultAppManagementPolicy</c>): "Tenant-wide
/// application authentication method policy to enforce app management restrictions for all applications and service
/// principals", whose <c>isEnabled</c> "Default value is false" (learn.microsoft.com/graph/api/resources/tenantappmanagementpolicy).
/// Restrictions only bind while <see cref="IsEnabled"/>; a custom policy applied to one App may override them.
/// </summary>
public sealed record AppManagementSettings(bool IsEnabled, CredentialRestrictions Applications, CredentialRestrictions ServicePrincipals)
{
    /// <summary>The restrictions that bind Apps of <paramref name="kind"/> now: none while the policy is off.</summary>
    public CredentialRestrictions For(AppKind kind) =>
        !IsEnabled ? CredentialRestrictions.None : kind == AppKind.Application ? Applications : ServicePrincipals;
}
