using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

public sealed class PolicyEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly Policy Policy = Policy.Default with { MinimumBusinessOwners = 1 };

    private static AppBuilder App() => new AppBuilder(Now).WithFullOwnership();

    [Fact]
    public void Evaluate_CompliantApp_ReturnsNoFindings()
    {
        var app = App().WithSecretExpiringIn(200).Build();

        Assert.Empty(PolicyEvaluator.Evaluate(app, Policy, Now));
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(29.5, 30)]
    [InlineData(14, 14)]
    [InlineData(10, 14)]
    [InlineData(7, 7)]
    [InlineData(3, 7)]
    [InlineData(1, 1)]
    [InlineData(0.5, 1)]
    public void Evaluate_SecretInsideAStage_ReportsTheTightestStageReached(double daysLeft, int expectedStage)
    {
        var app = App().WithSecretExpiringIn(daysLeft).Build();

        var finding = Assert.Single(PolicyEvaluator.Evaluate(app, Policy, Now));

        Assert.Equal(expectedStage, Assert.IsType<CredentialExpiringSoon>(finding).StageDays);
    }

    [Fact]
    public void Evaluate_SecretJustOutsideFirstStage_IsNotAFinding()
    {
        var app = App().WithSecretExpiringIn(30.01).Build();

        Assert.Empty(PolicyEvaluator.Evaluate(app, Policy, Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-400)]
    public void Evaluate_CredentialAtOrPastItsEnd_IsExpired(double daysLeft)
    {
        var app = App().WithCertificateExpiringIn(daysLeft).Build();

        var finding = Assert.Single(PolicyEvaluator.Evaluate(app, Policy, Now));

        Assert.IsType<CredentialExpired>(finding);
    }

    [Fact]
    public void Evaluate_ExternallyManagedApp_GetsNoExpiryFindingsButOwnerRulesStillApply()
    {
        var app = new AppBuilder(Now).ExternallyManaged().WithSecretExpiringIn(-3).WithOwner(OwnerKind.Entra, "e").Build();

        var findings = PolicyEvaluator.Evaluate(app, Policy, Now);

        Assert.DoesNotContain(findings, f => f is CredentialExpired or CredentialExpiringSoon);
        Assert.Contains(findings, f => f is TooFewOwners { Kind: OwnerKind.Technical });
    }

    [Fact]
    public void Evaluate_NoOwners_ReportsTooFewOwnersForEveryRequiredKind()
    {
        var app = new AppBuilder(Now).WithSecretExpiringIn(200).Build();

        var kinds = PolicyEvaluator.Evaluate(app, Policy, Now).OfType<TooFewOwners>().Select(f => f.Kind).Order();

        Assert.Equal([OwnerKind.Entra, OwnerKind.Technical, OwnerKind.Business], kinds);
    }

    [Fact]
    public void Evaluate_KindNotRequiredByPolicy_IsNotReported()
    {
        var app = new AppBuilder(Now).WithOwner(OwnerKind.Entra, "e").WithOwner(OwnerKind.Technical, "t").Build();

        Assert.Empty(PolicyEvaluator.Evaluate(app, Policy.Default, Now));
    }

    [Fact]
    public void Evaluate_DisabledOwner_DoesNotCountAndIsReported()
    {
        var app = new AppBuilder(Now)
            .WithOwner(OwnerKind.Entra, "gone", "Debra Berger", enabled: false)
            .WithOwner(OwnerKind.Technical, "t")
            .WithOwner(OwnerKind.Business, "b")
            .Build();

        var findings = PolicyEvaluator.Evaluate(app, Policy, Now);

        Assert.Contains(findings, f => f is TooFewOwners { Kind: OwnerKind.Entra, Actual: 0, Required: 1 });
        var disabled = Assert.Single(findings.OfType<OwnerDisabledOrDeleted>());
        Assert.Equal("gone", disabled.Owner.ObjectId);
        Assert.Contains("disabled", disabled.Describe(Now), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DeletedOwner_IsDescribedAsDeleted()
    {
        var app = App().WithOwner(OwnerKind.Technical, "old", "Old Owner", deleted: true).Build();

        var finding = Assert.Single(PolicyEvaluator.Evaluate(app, Policy, Now).OfType<OwnerDisabledOrDeleted>());

        Assert.Contains("deleted", finding.Describe(Now), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SeveralFindings_AreOrderedMostUrgentFirst()
    {
        var app = new AppBuilder(Now).WithSecretExpiringIn(20).WithSecretExpiringIn(-2).WithSecretExpiringIn(2).Build();

        var findings = PolicyEvaluator.Evaluate(app, Policy, Now);

        Assert.IsType<CredentialExpired>(findings[0]);
        Assert.Equal(7, Assert.IsType<CredentialExpiringSoon>(findings[1]).StageDays);
        Assert.Equal(30, Assert.IsType<CredentialExpiringSoon>(findings[2]).StageDays);
        Assert.IsType<TooFewOwners>(findings[^1]);
    }

    [Fact]
    public void Describe_ExpiringSecret_SaysDaysLeftAndDate()
    {
        var app = App().WithSecretExpiringIn(3, "prod-secret").Build();

        var finding = Assert.Single(PolicyEvaluator.Evaluate(app, Policy, Now));

        Assert.Equal("Secret 'prod-secret' expires in 3 days (2026-11-25)", finding.Describe(Now));
    }
}
