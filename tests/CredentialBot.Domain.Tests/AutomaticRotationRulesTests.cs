using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

/// <summary>Hands-free rotation: when a policy's option is valid, and which secret of an App is due for it.</summary>
public sealed class AutomaticRotationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void APolicyWithoutTheOption_HasNoAutomaticRotationProblem_AndRotatesNothing()
    {
        var app = new AppBuilder(Now).WithSecretExpiringIn(1).Build();

        Assert.Empty(AutomaticRotationRules.Problems(Policy.Default));
        Assert.Null(AutomaticRotationRules.DueFor(app, Policy.Default, Now, new HashSet<string>()));
    }

    [Theory]
    [InlineData(new[] { 30, 14, 7, 1 }, 14, 7, null)]
    [InlineData(new[] { 30, 14, 7, 1 }, 30, 29, null)]
    [InlineData(new[] { 30, 14, 7, 1 }, 2, 1, null)]
    [InlineData(new[] { 30, 14, 7, 1 }, 31, 7, "between 1 and 30 days (the first stage)")]
    [InlineData(new[] { 45, 7 }, 31, 7, null)]
    [InlineData(new[] { 30, 14, 7, 1 }, 0, 7, "between 1 and 30 days (the first stage)")]
    [InlineData(new[] { 30, 14, 7, 1 }, 14, 0, "use window is 0 days; it must be between 1 and 30")]
    [InlineData(new[] { 90, 30 }, 60, 31, "use window is 31 days; it must be between 1 and 30")]
    [InlineData(new[] { 30, 14, 7, 1 }, 7, 7, "must be shorter than the 7 days left")]
    [InlineData(new[] { 30, 14, 7, 1 }, 1, 1, "must be shorter than the 1 days left")]
    public void TheOption_MustRotateWithinTheStages_AndExpectUseBeforeTheOldSecretExpires(int[] stages, int days, int window, string? problem)
    {
        var policy = Policy.Default with { ExpiryStagesDays = stages, AutomaticRotation = new AutomaticRotation(days, window) };

        var problems = policy.Problems();

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(14.0, true)]
    [InlineData(13.5, true)]
    [InlineData(14.5, false)]
    [InlineData(0.1, true)]
    [InlineData(-0.1, false)]
    public void ASecret_IsDue_FromTheOptionsDaysBeforeExpiry_UntilItExpires(double daysLeft, bool due)
    {
        var app = new AppBuilder(Now).WithSecretExpiringIn(daysLeft).Build();
        var policy = Policy.Default with { AutomaticRotation = new AutomaticRotation(14, 7) };

        Assert.Equal(due, AutomaticRotationRules.DueFor(app, policy, Now, new HashSet<string>()) is not null);
    }

    [Fact]
    public void OfSeveralDueSecrets_TheOneExpiringFirst_IsRotated_AndHandledOnesAreSkipped()
    {
        var app = new AppBuilder(Now).WithSecretExpiringIn(10).WithSecretExpiringIn(3).WithSecretExpiringIn(40).Build();
        var policy = Policy.Default with { AutomaticRotation = new AutomaticRotation(14, 7) };

        Assert.Equal("key-2", AutomaticRotationRules.DueFor(app, policy, Now, new HashSet<string>())?.KeyId);
        Assert.Equal("key-1", AutomaticRotationRules.DueFor(app, policy, Now, new HashSet<string> { "key-2" })?.KeyId);
        Assert.Null(AutomaticRotationRules.DueFor(app, policy, Now, new HashSet<string> { "key-1", "key-2" }));
    }

    [Fact]
    public void ACertificate_IsDueLikeASecret_TheOneExpiringFirstGoingFirst()
    {
        var app = new AppBuilder(Now).WithSecretExpiringIn(10).WithCertificateExpiringIn(3).WithCertificateExpiringIn(40).Build();
        var policy = Policy.Default with { AutomaticRotation = new AutomaticRotation(14, 7) };

        var due = AutomaticRotationRules.DueFor(app, policy, Now, new HashSet<string>());
        Assert.Equal(CredentialKind.Certificate, due?.Kind);
        Assert.Equal(CredentialKind.Secret, AutomaticRotationRules.DueFor(app, policy, Now, new HashSet<string> { due!.KeyId })?.Kind);
    }

    [Fact]
    public void AnInvalidOption_RotatesNothing()
    {
        var app = new AppBuilder(Now).WithSecretExpiringIn(3).Build();
        var policy = Policy.Default with { AutomaticRotation = new AutomaticRotation(14, 20) };

        Assert.Null(AutomaticRotationRules.DueFor(app, policy, Now, new HashSet<string>()));
    }

    [Theory]
    [InlineData(6.9, false)]
    [InlineData(7.0, true)]
    [InlineData(8.0, true)]
    public void TheUseWindow_PassesAfterItsDays(double daysSinceDelivery, bool passed) =>
        Assert.Equal(passed, AutomaticRotationRules.UseWindowPassed(new AutomaticRotation(14, 7), Now, Now.AddDays(daysSinceDelivery)));
}
