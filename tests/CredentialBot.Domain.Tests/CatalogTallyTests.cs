using System.Text.Json;
using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>How a whole catalog is counted for the compliance summary and the posture, one judged App at a time.</summary>
public sealed class CatalogTallyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static readonly TenantPosture Tenant = new(
        new DirectoryResult<DefaultUserAppPermissions>(new DefaultUserAppPermissions(false, [])),
        new DirectoryResult<AppManagementSettings>(new AppManagementSettings(true, new CredentialRestrictions([new CredentialRestriction(CredentialRestrictionTypes.PasswordLifetime, TimeSpan.FromDays(90))], []), CredentialRestrictions.None)),
        new DirectoryResult<AdminConsentRequestSettings>(new AdminConsentRequestSettings(false)));

    [Theory]
    [InlineData("7d3c2a9e-3b1d-4c55-9a7e-2f0d1c3b4a55", "7D3C2A9E-3B1D-4C55-9A7E-2F0D1C3B4A55")]
    [InlineData("payroll-api", "payroll-api")]
    public void AnAppGivenTwice_AsAListingMayReturnIt_CountsOnce(string objectId, string sameObjectId)
    {
        var overlong = new AppBuilder(Now).WithIds(objectId, "a1").WithSecretExpiringIn(-1).Build();
        var once = new CatalogTally(Tenant, Now);
        var twice = new CatalogTally(Tenant, Now);

        Assert.True(once.Add(Judge(overlong)));
        Assert.True(twice.Add(Judge(overlong)));
        Assert.False(twice.Add(Judge(overlong with { ObjectId = sameObjectId })));

        Assert.Equal(Json(once), Json(twice));
        Assert.Equal((1, 1), (twice.Compliance.ToSummary().Applications, twice.Compliance.ToSummary().Expired));
        Assert.Equal(1, twice.Posture.UnownedAppRegistrations);
    }

    [Fact]
    public void EveryDifferentApp_IsCounted_InTheSummaryAndThePosture()
    {
        var tally = new CatalogTally(Tenant, Now);
        var apps = new[]
        {
            new AppBuilder(Now).WithSecretExpiringIn(200).WithFullOwnership().Build(),
            new AppBuilder(Now).WithSecretExpiringIn(3).Build(),
            new AppBuilder(Now).WithCertificateExpiringIn(20).AsServicePrincipal().Build(),
        };

        Assert.All(apps, app => Assert.True(tally.Add(Judge(app))));

        var summary = tally.Compliance.ToSummary();
        Assert.Equal((2, 1, 1), (summary.Applications, summary.ServicePrincipals, summary.ExpiringWithin7Days));
        Assert.Equal(1, tally.Posture.UnownedAppRegistrations);
        Assert.True(tally.Posture.IncludesTenantLimits, "the tenant's app-management policy was read, so its limits count");
        Assert.Equal(2, tally.Posture.OverlongCredentialApps);
    }

    private static AppCompliance Judge(App app) => AppCompliance.Judge(app, Policy.Default, Now);

    private static string Json(CatalogTally tally) =>
        JsonSerializer.Serialize(new { Summary = tally.Compliance.ToSummary(), tally.Posture.OverlongCredentialApps, tally.Posture.UnownedAppRegistrations });
}
