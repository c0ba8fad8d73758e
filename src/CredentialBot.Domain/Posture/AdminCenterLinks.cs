namespace CredentialBot.Domain;

/// <summary>The Entra admin center pages where each posture setting is changed.</summary>
public static class AdminCenterLinks
{
    /// <summary>Users › User settings: "Users can register applications".</summary>
    public static Uri UserSettings { get; } = new("https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/UserSettings/menuId/UserSettings");

    /// <summary>Enterprise applications › Consent and permissions › User consent settings.</summary>
    public static Uri UserConsentSettings { get; } = new("https://entra.microsoft.com/#view/Microsoft_AAD_IAM/ConsentPoliciesMenuBlade/~/UserSettings");

    /// <summary>Enterprise applications › Consent and permissions › Admin consent settings.</summary>
    public static Uri AdminConsentSettings { get; } = new("https://entra.microsoft.com/#view/Microsoft_AAD_IAM/ConsentPoliciesMenuBlade/~/AdminConsentSettings");

    /// <summary>Enterprise applications › Application policies (the tenant's app-management policy).</summary>
    public static Uri AppManagementPolicies { get; } = new("https://entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppManagementPolicies");

    /// <summary>App registrations › All applications.</summary>
    public static Uri AppRegistrations { get; } = new("https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade");
}
