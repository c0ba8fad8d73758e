using System.Globalization;

namespace CredentialBot.Domain;

/// <summary>
/// The tenant's posture at one scan: each of <see cref="PostureChecks.All"/> with a finding, a why and the admin center
/// link. A setting that could not be read is a finding too (<see cref="PostureRating.Unknown"/>, naming the permission),
/// never a reason to stop.
/// </summary>
public sealed record TenantPostureReport(DateTimeOffset At, IReadOnlyList<PostureFinding> Findings)
{
    private const string ReadPermission = "Policy.Read.All";

    /// <summary>Reviews what the directory answered and what the store counted.</summary>
    public static TenantPostureReport Review(TenantPosture posture, PostureTally tally, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(posture);
        ArgumentNullException.ThrowIfNull(tally);
        return new TenantPostureReport(at,
        [
            Read(posture.UserPermissions, PostureChecks.AppRegistration, AdminCenterLinks.UserSettings, RegistrationFinding),
            Read(posture.UserPermissions, PostureChecks.UserConsent, AdminCenterLinks.UserConsentSettings, ConsentFinding),
            Read(posture.AppManagement, PostureChecks.AppManagementPolicy, AdminCenterLinks.AppManagementPolicies, AppManagementFinding),
            Read(posture.AdminConsentRequests, PostureChecks.AdminConsentWorkflow, AdminCenterLinks.AdminConsentSettings, AdminConsentFinding),
            OverlongFinding(tally),
            UnownedFinding(tally),
        ]);
    }

    /// <summary>
    /// What changed since <paramref name="previous"/>, one sentence per check whose finding differs; empty when there is
    /// nothing to compare with or nothing changed.
    /// </summary>
    public IReadOnlyList<string> ChangesSince(TenantPostureReport? previous)
    {
        if (previous is null)
        {
            return [];
        }

        var before = previous.Findings.ToDictionary(f => f.Check, StringComparer.Ordinal);
        return [.. Findings
            .Where(f => before.TryGetValue(f.Check, out var old) && (old.Rating != f.Rating || !string.Equals(old.Finding, f.Finding, StringComparison.Ordinal)))
            .Select(f => $"{f.Check}: was \"{before[f.Check].Finding}\", now \"{f.Finding}\".")];
    }

    private static PostureFinding Read<T>(DirectoryResult<T> result, string check, Uri link, Func<T, (PostureRating, string, string)> judge)
        where T : class
    {
        if (result.Refusal is { } refusal)
        {
            var finding = refusal.Kind == DirectoryRefusalKind.MissingPermission
                ? $"Not checked: CredentialBot lacks the Graph permission {refusal.RequiredPermission ?? ReadPermission}."
                : $"Not checked: {refusal.Reason}";
            return refusal.Kind == DirectoryRefusalKind.MissingPermission
                ? new PostureFinding(check, PostureRating.Unknown, finding, "Grant it (an application permission, with admin consent) and the next scan checks it.", link, refusal.RequiredPermission ?? ReadPermission)
                : new PostureFinding(check, PostureRating.Unknown, finding, "The next scan tries again.", link);
        }

        var (rating, text, why) = judge(result.Value!);
        return new PostureFinding(check, rating, text, why, link);
    }

    private static (PostureRating, string, string) RegistrationFinding(DefaultUserAppPermissions permissions) => permissions.UsersCanRegisterApps
        ? (PostureRating.AtRisk, "Yes: any member can create an app registration and add secrets to it.",
            "Apps registered on a whim hold credentials nobody reviews or rotates. Turn it off and let people request new apps (through CredentialBot or the Application Developer role).")
        : (PostureRating.Good, "No: only admins and Application Developers can register apps.",
            "New apps come through a reviewed path, so each starts with owners and a policy.");

    private static (PostureRating, string, string) ConsentFinding(DefaultUserAppPermissions permissions)
    {
        if (!permissions.UsersCanConsent)
        {
            return (PostureRating.Good, "No: apps need an admin's consent.", "No app gets at people's data without a review.");
        }

        var policies = string.Join(", ", permissions.UserConsentPolicies.Where(p => p.StartsWith("ManagePermissionGrantsForSelf.", StringComparison.OrdinalIgnoreCase)).Select(p => p["ManagePermissionGrantsForSelf.".Length..]));
        var risky = permissions.UserConsentForRiskyApps == true ? " Consent to apps Entra considers risky is allowed too." : string.Empty;
        return (PostureRating.AtRisk, $"Yes, under {policies}.{risky}",
            "One click by one user gives an app access to their data, the usual start of a consent-phishing attack. Limit user consent to verified publishers and low-risk permissions, or turn it off.");
    }

    private static (PostureRating, string, string) AppManagementFinding(AppManagementSettings settings)
    {
        const string Why = "Without a tenant-wide limit any owner can add a secret that lives for years; a lifetime limit makes a leaked secret expire on its own.";
        if (!settings.IsEnabled)
        {
            return (PostureRating.AtRisk, "Off: nothing limits secrets or certificates tenant-wide.", Why);
        }

        var applications = Describe(settings.Applications);
        var servicePrincipals = Describe(settings.ServicePrincipals);
        var values = string.Equals(applications, servicePrincipals, StringComparison.Ordinal)
            ? $"for every app: {applications}"
            : $"for app registrations: {applications}; for enterprise applications: {servicePrincipals}";
        return settings.Applications.LeavesPasswordsUnrestricted
            ? (PostureRating.AtRisk, $"On, but secrets of app registrations are unrestricted ({values}).", Why)
            : (PostureRating.Good, $"On, {values}.", Why);
    }

    private static string Describe(CredentialRestrictions restrictions)
    {
        var parts = new List<string>();
        if (restrictions.BlocksPasswords)
        {
            parts.Add("new secrets blocked");
        }

        if (restrictions.BlocksCustomPasswords)
        {
            parts.Add("custom secrets blocked");
        }

        if (restrictions.MaxPasswordLifetime is { } secrets)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"secrets at most {secrets.TotalDays:0} days"));
        }

        if (restrictions.MaxCertificateLifetime is { } certificates)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"certificates at most {certificates.TotalDays:0} days"));
        }

        return parts.Count == 0 ? "no restrictions" : string.Join(", ", parts);
    }

    private static (PostureRating, string, string) AdminConsentFinding(AdminConsentRequestSettings settings) => settings.IsEnabled
        ? (PostureRating.Good, settings.RequestDurationInDays is { } days ? string.Create(CultureInfo.InvariantCulture, $"On: requests expire after {days} days.") : "On.",
            "People who may not consent can ask, and reviewers decide in Entra instead of in side channels.")
        : (PostureRating.AtRisk, "Off: people who may not consent to an app have no way to ask for it.",
            "Blocked people look for workarounds (shared secrets, personal tenants). Turn the workflow on and name reviewers.");

    private static PostureFinding OverlongFinding(PostureTally tally)
    {
        var scope = tally.IncludesTenantLimits
            ? "longer than its CredentialBot policy or the tenant's app-management policy allows"
            : "longer than its CredentialBot policy allows (the tenant's own limits could not be read)";
        return new PostureFinding(
            PostureChecks.OverlongCredentials,
            tally.OverlongCredentialApps == 0 ? PostureRating.Good : PostureRating.AtRisk,
            string.Create(CultureInfo.InvariantCulture, $"{Apps(tally.OverlongCredentialApps)} a live credential that lives {scope}."),
            "A long-lived credential stays valid long after it leaks. Rotate these to the allowed lifetime; Rotate now creates secrets within it.",
            AdminCenterLinks.AppRegistrations);
    }

    private static PostureFinding UnownedFinding(PostureTally tally) => new(
        PostureChecks.UnownedApps,
        tally.UnownedAppRegistrations == 0 ? PostureRating.Good : PostureRating.AtRisk,
        string.Create(CultureInfo.InvariantCulture, $"{Apps(tally.UnownedAppRegistrations, "app registration")} no owner at all."),
        "Nobody is told when their credentials expire or asked to rotate them. Give them owners (the owner dialog, or import-owners).",
        AdminCenterLinks.AppRegistrations);

    private static string Apps(int count, string noun = "app") => count switch
    {
        0 => $"No {noun} has",
        1 => $"1 {noun} has",
        _ => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s have"),
    };
}
