using CredentialBot.Domain;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Directory;

/// <summary>
/// The three policies that make up <see cref="TenantPosture"/>, read side by side. Each needs <c>Policy.Read.All</c>
/// as its least privileged application permission (learn.microsoft.com/graph/api/authorizationpolicy-get,
/// tenantappmanagementpolicy-get, adminconsentrequestpolicy-get); a 403 on one becomes a refusal naming it and leaves the
/// others. Sent at high priority: the posture is read for a person's compliance card.
/// </summary>
internal sealed class TenantPostureReader(GraphServiceClient graph)
{
    internal const string PolicyReadAll = "Policy.Read.All";

    public async Task<TenantPosture> ReadAsync(CancellationToken cancellationToken)
    {
        var users = ReadAsync("read the tenant's authorization policy", async () =>
        {
            var policy = await graph.Policies.AuthorizationPolicy.GetAsync(GraphRequests.HighPriority, cancellationToken).ConfigureAwait(false);
            var defaults = policy?.DefaultUserRolePermissions;
            return new DefaultUserAppPermissions(
                // Graph documents allowedToCreateApps as a plain Boolean; a missing value is read as Entra's default, true.
                defaults?.AllowedToCreateApps ?? true,
                [.. defaults?.PermissionGrantPoliciesAssigned ?? []],
                policy?.AllowUserConsentForRiskyApps);
        }, cancellationToken);
        var appManagement = ReadAsync("read the tenant's app-management policy", async () =>
        {
            var policy = await graph.Policies.DefaultAppManagementPolicy.GetAsync(GraphRequests.HighPriority, cancellationToken).ConfigureAwait(false);
            return new AppManagementSettings(policy?.IsEnabled ?? false, Restrictions(policy?.ApplicationRestrictions), Restrictions(policy?.ServicePrincipalRestrictions));
        }, cancellationToken);
        var adminConsent = ReadAsync("read the tenant's admin consent request policy", async () =>
        {
            var policy = await graph.Policies.AdminConsentRequestPolicy.GetAsync(GraphRequests.HighPriority, cancellationToken).ConfigureAwait(false);
            return new AdminConsentRequestSettings(policy?.IsEnabled ?? false, policy?.NotifyReviewers ?? false, policy?.RequestDurationInDays);
        }, cancellationToken);
        return new TenantPosture(await users.ConfigureAwait(false), await appManagement.ConfigureAwait(false), await adminConsent.ConfigureAwait(false));
    }


    private static async Task<DirectoryResult<T>> ReadAsync<T>(string what, Func<Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return new DirectoryResult<T>(await read().ConfigureAwait(false));
        }
        catch (ODataError error)
        {
            return new DirectoryResult<T>(GraphRefusals.From(error, what, PolicyReadAll));
        }
        catch (Exception exception) when (GraphRefusals.IsTransient(exception, cancellationToken))
        {
            return new DirectoryResult<T>(GraphRefusals.Unavailable(what, GraphRefusals.Describe(exception)));
        }
    }

    private static CredentialRestrictions Restrictions(AppManagementConfiguration? configuration) => configuration is null
        ? CredentialRestrictions.None
        : new CredentialRestrictions(
            [.. (configuration.PasswordCredentials ?? []).Select(r => new CredentialRestriction(GraphName(r.RestrictionType), r.MaxLifetime, r.RestrictForAppsCreatedAfterDateTime, r.State != AppManagementRestrictionState.Disabled))],
            [.. (configuration.KeyCredentials ?? []).Select(r => new CredentialRestriction(GraphName(r.RestrictionType), r.MaxLifetime, r.RestrictForAppsCreatedAfterDateTime, r.State != AppManagementRestrictionState.Disabled))]);

    /// <summary>An SDK enum member as Graph spells the value (PasswordAddition → passwordAddition).</summary>
    private static string GraphName<TEnum>(TEnum? value)
        where TEnum : struct, Enum
    {
        var name = value?.ToString() ?? "unknownFutureValue";
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
