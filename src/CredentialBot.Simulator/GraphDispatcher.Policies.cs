using System.Globalization;
using System.Text.Json;

namespace CredentialBot.Simulator;

public sealed partial class GraphDispatcher
{
    /// <summary>
    /// <c>GET /policies/authorizationPolicy</c>, shaped as Graph's example answer; needs Policy.Read.All (or
    /// Policy.ReadWrite.Authorization) — learn.microsoft.com/graph/api/authorizationpolicy-get.
    /// </summary>
    private GraphResponse AuthorizationPolicy()
    {
        if (!tenant.Grants("Policy.Read.All", "Policy.ReadWrite.Authorization"))
        {
            return InsufficientPrivileges();
        }

        var policies = tenant.Policies;
        return Json(w =>
        {
            w.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity");
            w.WriteString("id", "authorizationPolicy");
            w.WriteString("allowInvitesFrom", "everyone");
            w.WriteBoolean("allowedToSignUpEmailBasedSubscriptions", true);
            w.WriteBoolean("allowedToUseSSPR", true);
            w.WriteBoolean("allowEmailVerifiedUsersToJoinOrganization", false);
            w.WriteBoolean("allowUserConsentForRiskyApps", policies.AllowUserConsentForRiskyApps);
            w.WriteNull("blockMsolPowerShell");
            w.WriteString("displayName", "Authorization Policy");
            w.WriteString("description", "Used to manage authorization related settings across the company.");
            w.WriteString("guestUserRoleId", "10dae51f-b6af-4016-8d66-8c2a99b929b3");
            w.WriteStartObject("defaultUserRolePermissions");
            w.WriteBoolean("allowedToCreateApps", policies.UsersCanRegisterApps);
            w.WriteBoolean("allowedToCreateSecurityGroups", true);
            w.WriteBoolean("allowedToCreateTenants", true);
            w.WriteBoolean("allowedToReadOtherUsers", true);
            w.WriteStartArray("permissionGrantPoliciesAssigned");
            policies.PermissionGrantPoliciesAssigned.ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>GET /policies/adminConsentRequestPolicy</c>; needs Policy.Read.All (or Policy.ReadWrite.ConsentRequest,
    /// Directory.Read.All, Directory.ReadWrite.All) — learn.microsoft.com/graph/api/adminconsentrequestpolicy-get.
    /// </summary>
    private GraphResponse AdminConsentRequestPolicy()
    {
        if (!tenant.Grants("Policy.Read.All", "Policy.ReadWrite.ConsentRequest", "Directory.Read.All", "Directory.ReadWrite.All"))
        {
            return InsufficientPrivileges();
        }

        var enabled = tenant.Policies.AdminConsentRequestsEnabled;
        return Json(w =>
        {
            w.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#policies/adminConsentRequestPolicy/$entity");
            w.WriteBoolean("isEnabled", enabled);
            w.WriteBoolean("notifyReviewers", enabled);
            w.WriteBoolean("remindersEnabled", enabled);
            w.WriteNumber("requestDurationInDays", enabled ? 30 : 0);
            w.WriteNumber("version", 0);
            w.WriteStartArray("reviewers");
            w.WriteEndArray();
        });
    }

    /// <summary>
    /// <c>GET /policies/defaultAppManagementPolicy</c>; needs Policy.Read.All (or Policy.Read.ApplicationConfiguration,
    /// Policy.ReadWrite.ApplicationConfiguration) — learn.microsoft.com/graph/api/tenantappmanagementpolicy-get.
    /// </summary>
    private GraphResponse DefaultAppManagementPolicy()
    {
        if (!tenant.Grants("Policy.Read.All", "Policy.Read.ApplicationConfiguration", "Policy.ReadWrite.ApplicationConfiguration"))
        {
            return InsufficientPrivileges();
        }

        var policy = tenant.Policies.AppManagement;
        return Json(w =>
        {
            w.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#policies/defaultAppManagementPolicy/$entity");
            w.WriteString("id", "00000000-0000-0000-0000-000000000000");
            w.WriteString("displayName", "Default app management tenant policy");
            w.WriteString("description", "Default tenant policy that enforces app management restrictions on applications and service principals.");
            w.WriteBoolean("isEnabled", policy.IsEnabled);
            WriteRestrictions(w, "applicationRestrictions", policy.ApplicationPasswords, policy.ApplicationKeys);
            WriteRestrictions(w, "servicePrincipalRestrictions", policy.ServicePrincipalPasswords, policy.ServicePrincipalKeys);
        });
    }

    private static void WriteRestrictions(Utf8JsonWriter w, string name, List<SimRestriction> passwords, List<SimRestriction> keys)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("passwordCredentials");
        passwords.ForEach(r => WriteRestriction(w, r));
        w.WriteEndArray();
        w.WriteStartArray("keyCredentials");
        keys.ForEach(r => WriteRestriction(w, r));
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRestriction(Utf8JsonWriter w, SimRestriction restriction)
    {
        w.WriteStartObject();
        w.WriteString("restrictionType", restriction.RestrictionType);
        w.WriteString("state", restriction.State);
        WriteNullable(w, "maxLifetime", restriction.MaxLifetime is { } lifetime ? System.Xml.XmlConvert.ToString(lifetime) : null);
        WriteNullable(w, "restrictForAppsCreatedAfterDateTime", restriction.RestrictForAppsCreatedAfter?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        w.WriteEndObject();
    }
}
