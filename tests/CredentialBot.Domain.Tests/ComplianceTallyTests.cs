using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>How the compliance summary counts Apps.</summary>
public sealed class ComplianceTallyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AppsAreCountedByKind_ComplianceAndNearestExpiry()
    {
        var tally = new ComplianceTally(Now);
        Add(tally, new AppBuilder(Now).Named("Healthy").WithSecretExpiringIn(200).WithFullOwnership().Build());
        Add(tally, new AppBuilder(Now).Named("Soon").WithSecretExpiringIn(3).WithSecretExpiringIn(300).WithFullOwnership().Build());
        Add(tally, new AppBuilder(Now).Named("Month").WithCertificateExpiringIn(20).WithFullOwnership().AsServicePrincipal().Build());
        Add(tally, new AppBuilder(Now).Named("Gone").WithSecretExpiringIn(-2).Build());

        var summary = tally.ToSummary();

        Assert.Equal((3, 1, 1), (summary.Applications, summary.ServicePrincipals, summary.Compliant));
        Assert.Equal((1, 2, 1), (summary.ExpiringWithin7Days, summary.ExpiringWithin30Days, summary.Expired));
        Assert.Equal(0.25, summary.CompliantShare);
        Assert.Equal(1, summary.NonCompliantByRule["Credential expired"]);
        Assert.Equal(2, summary.NonCompliantByRule["Credential expiring"]);
        Assert.Equal(1, summary.NonCompliantByRule["Too few technical owners"]);
        Assert.Equal("Gone", summary.MostUrgent[0].DisplayName);
    }

    [Fact]
    public void OnlyTheTenMostUrgentAppsAreKept_MostUrgentFirst()
    {
        var tally = new ComplianceTally(Now);
        for (var i = 1; i <= 30; i++)
        {
            Add(tally, new AppBuilder(Now).Named($"App {i:D2}").WithSecretExpiringIn(i % 2 == 0 ? -i : i).WithFullOwnership().Build());
        }

        var top = tally.ToSummary().MostUrgent;

        Assert.Equal(ComplianceTally.TopCount, top.Count);
        Assert.All(top, u => Assert.Equal(0, u.Urgency));
    }

    [Fact]
    public void AnEmptyTenant_IsFullyCompliant() => Assert.Equal(1, new ComplianceTally(Now).ToSummary().CompliantShare);

    private static void Add(ComplianceTally tally, App app) => tally.Add(app, PolicyEvaluator.Evaluate(app, Policy.Default, Now));
}
