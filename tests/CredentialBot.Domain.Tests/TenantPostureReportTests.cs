using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>How the tenant's settings and the store's counts become posture findings, and what counts as a change.</summary>
public sealed class TenantPostureReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static readonly DefaultUserAppPermissions OpenTenant = new(true, ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"]);
    private static readonly AppManagementSettings PolicyOff = new(false, CredentialRestrictions.None, CredentialRestrictions.None);
    private static readonly AdminConsentRequestSettings WorkflowOff = new(false);

    public static TheoryData<bool, string[], bool?, PostureRating, PostureRating, string> UserPermissionCases => new()
    {
        { true, ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"], null, PostureRating.AtRisk, PostureRating.AtRisk, "Yes, under microsoft-user-default-legacy." },
        { false, ["ManagePermissionGrantsForSelf.microsoft-user-default-low"], true, PostureRating.Good, PostureRating.AtRisk, "Yes, under microsoft-user-default-low. Consent to apps Entra considers risky is allowed too." },
        { true, ["ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team"], null, PostureRating.AtRisk, PostureRating.Good, "No: apps need an admin's consent." },
        { false, [], null, PostureRating.Good, PostureRating.Good, "No: apps need an admin's consent." },
    };

    [Theory]
    [MemberData(nameof(UserPermissionCases))]
    public void Review_ReadsRegistrationAndConsentFromTheAuthorizationPolicy(bool canRegister, string[] consentPolicies, bool? risky, PostureRating registration, PostureRating consent, string consentFinding)
    {
        var report = Review(new TenantPosture(Ok(new DefaultUserAppPermissions(canRegister, consentPolicies, risky)), Ok(PolicyOff), Ok(WorkflowOff)));

        Assert.Equal(registration, Finding(report, PostureChecks.AppRegistration).Rating);
        Assert.Equal(consent, Finding(report, PostureChecks.UserConsent).Rating);
        Assert.Equal(consentFinding, Finding(report, PostureChecks.UserConsent).Finding);
    }

    public static TheoryData<AppManagementSettings, PostureRating, string> AppManagementCases => new()
    {
        { PolicyOff, PostureRating.AtRisk, "Off: nothing limits secrets or certificates tenant-wide." },
        {
            new AppManagementSettings(true, CredentialRestrictions.None, CredentialRestrictions.None),
            PostureRating.AtRisk, "On, but secrets of app registrations are unrestricted (for every app: no restrictions)."
        },
        {
            new AppManagementSettings(true, Limits(secretDays: 180, certificateDays: 365), Limits(secretDays: 180, certificateDays: 365)),
            PostureRating.Good, "On, for every app: secrets at most 180 days, certificates at most 365 days."
        },
        {
            new AppManagementSettings(true, new CredentialRestrictions([new(CredentialRestrictionTypes.PasswordAddition), new(CredentialRestrictionTypes.CustomPasswordAddition)], []), CredentialRestrictions.None),
            PostureRating.Good, "On, for app registrations: new secrets blocked, custom secrets blocked; for enterprise applications: no restrictions."
        },
        {
            new AppManagementSettings(true, new CredentialRestrictions([new(CredentialRestrictionTypes.PasswordLifetime, TimeSpan.FromDays(90), Enabled: false)], []), CredentialRestrictions.None),
            PostureRating.AtRisk, "On, but secrets of app registrations are unrestricted (for every app: no restrictions)."
        },
    };

    [Theory]
    [MemberData(nameof(AppManagementCases))]
    public void Review_GivesTheAppManagementPolicysStateAndValues(AppManagementSettings settings, PostureRating rating, string finding)
    {
        var found = Finding(Review(new TenantPosture(Ok(OpenTenant), Ok(settings), Ok(WorkflowOff))), PostureChecks.AppManagementPolicy);

        Assert.Equal((rating, finding), (found.Rating, found.Finding));
        Assert.Equal(AdminCenterLinks.AppManagementPolicies, found.AdminCenterLink);
    }

    [Theory]
    [InlineData(false, null, PostureRating.AtRisk, "Off: people who may not consent to an app have no way to ask for it.")]
    [InlineData(true, null, PostureRating.Good, "On.")]
    [InlineData(true, 30, PostureRating.Good, "On: requests expire after 30 days.")]
    public void Review_SaysWhetherTheAdminConsentWorkflowIsOn(bool enabled, int? days, PostureRating rating, string finding)
    {
        var found = Finding(Review(new TenantPosture(Ok(OpenTenant), Ok(PolicyOff), Ok(new AdminConsentRequestSettings(enabled, RequestDurationInDays: days)))), PostureChecks.AdminConsentWorkflow);

        Assert.Equal((rating, finding), (found.Rating, found.Finding));
    }

    [Fact]
    public void Review_WithoutThePermission_NamesItForEverySettingItCouldNotRead_AndStillCounts()
    {
        var missing = new DirectoryRefusal(DirectoryRefusalKind.MissingPermission, "Forbidden", "Policy.Read.All");
        var tally = new PostureTally(Now, null);
        tally.Add(new AppBuilder(Now).Named("Nobody's").Build(), Policy.Default);

        var report = Review(new TenantPosture(new(missing), new(missing), new(new DirectoryRefusal(DirectoryRefusalKind.Unavailable, "Graph did not answer in time."))), tally);

        Assert.All(report.Findings.Take(3), f => Assert.Equal((PostureRating.Unknown, "Policy.Read.All"), (f.Rating, f.MissingPermission)));
        Assert.Equal("Not checked: CredentialBot lacks the Graph permission Policy.Read.All.", report.Findings[0].Finding);
        Assert.Equal((PostureRating.Unknown, null, "Not checked: Graph did not answer in time."), (report.Findings[3].Rating, report.Findings[3].MissingPermission, report.Findings[3].Finding));
        Assert.Equal("1 app registration has no owner at all.", Finding(report, PostureChecks.UnownedApps).Finding);
        Assert.Contains("the tenant's own limits could not be read", Finding(report, PostureChecks.OverlongCredentials).Finding, StringComparison.Ordinal);
        Assert.Equal(PostureChecks.All, report.Findings.Select(f => f.Check));
    }

    public static TheoryData<CredentialKind, int, int?, int?, int, bool> LifetimeCases => new()
    {
        // kind, lifetime days, tenant secret max, tenant certificate max, CredentialBot policy secret max, counted
        { CredentialKind.Secret, 365, null, null, 365, false },
        { CredentialKind.Secret, 366, null, null, 365, false },
        { CredentialKind.Secret, 367, null, null, 365, true },
        { CredentialKind.Secret, 730, null, null, 365, true },
        { CredentialKind.Secret, 200, 180, null, 365, true },
        { CredentialKind.Secret, 200, 400, null, 180, true },
        { CredentialKind.Secret, 170, 180, null, 365, false },
        { CredentialKind.Certificate, 3650, null, null, 365, false },
        { CredentialKind.Certificate, 800, null, 730, 365, true },
        { CredentialKind.Certificate, 700, 30, 730, 365, false },
    };

    [Theory]
    [MemberData(nameof(LifetimeCases))]
    public void PostureTally_CountsAnAppWhoseLiveCredentialOutlivesTheShorterLimit(CredentialKind kind, int lifetimeDays, int? tenantSecretDays, int? tenantCertificateDays, int policySecretDays, bool counted)
    {
        var limits = Limits(tenantSecretDays, tenantCertificateDays);
        var tally = new PostureTally(Now, new AppManagementSettings(true, limits, limits));
        var start = Now.AddDays(-10);
        var app = new App("o-1", "a-1", "Long", AppKind.Application, [new Credential("k", kind, "c", start, start.AddDays(lifetimeDays))], []);

        tally.Add(app, Policy.Default with { MaximumSecretLifetime = TimeSpan.FromDays(policySecretDays) });

        Assert.Equal(counted ? 1 : 0, tally.OverlongCredentialApps);
    }

    [Fact]
    public void PostureTally_IgnoresExpiredAndUndatedCredentials_AndTenantLimitsWhileThePolicyIsOff()
    {
        var limits = Limits(secretDays: 30, certificateDays: null);
        var off = new PostureTally(Now, new AppManagementSettings(false, limits, limits));
        var on = new PostureTally(Now, new AppManagementSettings(true, limits, limits));
        var longExpired = new Credential("k1", CredentialKind.Secret, "old", Now.AddDays(-900), Now.AddDays(-1));
        var undated = new Credential("k2", CredentialKind.Secret, "undated", null, Now.AddDays(3000));
        var ninetyDays = new Credential("k3", CredentialKind.Secret, "ninety", Now.AddDays(-10), Now.AddDays(80));

        foreach (var tally in new[] { off, on })
        {
            tally.Add(new App("o-1", "a-1", "Old", AppKind.Application, [longExpired, undated], [new Owner(OwnerKind.Entra, "u", "U", null)]), Policy.Default);
            tally.Add(new App("o-2", "a-2", "Ninety", AppKind.ServicePrincipal, [ninetyDays], []), Policy.Default);
        }

        Assert.Equal((0, 0), (off.OverlongCredentialApps, off.UnownedAppRegistrations));
        Assert.Equal((1, 0), (on.OverlongCredentialApps, on.UnownedAppRegistrations));
    }

    [Fact]
    public void ChangesSince_NamesEachCheckWhoseFindingChanged_AndNothingWithoutAPrevious()
    {
        var before = Review(new TenantPosture(Ok(OpenTenant), Ok(PolicyOff), Ok(WorkflowOff)));
        var after = Review(new TenantPosture(Ok(OpenTenant with { UsersCanRegisterApps = false }), Ok(PolicyOff), Ok(new AdminConsentRequestSettings(true))));

        Assert.Empty(after.ChangesSince(null));
        Assert.Empty(after.ChangesSince(after));
        Assert.Equal(
            [
                "Users can register apps: was \"Yes: any member can create an app registration and add secrets to it.\", now \"No: only admins and Application Developers can register apps.\".",
                "Admin consent workflow: was \"Off: people who may not consent to an app have no way to ask for it.\", now \"On.\".",
            ],
            after.ChangesSince(before));
    }

    private static TenantPostureReport Review(TenantPosture posture, PostureTally? tally = null) =>
        TenantPostureReport.Review(posture, tally ?? new PostureTally(Now, posture.AppManagement.Value), Now);

    private static PostureFinding Finding(TenantPostureReport report, string check) => report.Findings.Single(f => f.Check == check);

    private static DirectoryResult<T> Ok<T>(T value)
        where T : class => new(value);

    private static CredentialRestrictions Limits(int? secretDays, int? certificateDays) => new(
        secretDays is { } s ? [new CredentialRestriction(CredentialRestrictionTypes.PasswordLifetime, TimeSpan.FromDays(s))] : [],
        certificateDays is { } c ? [new CredentialRestriction(CredentialRestrictionTypes.AsymmetricKeyLifetime, TimeSpan.FromDays(c))] : []);
}
