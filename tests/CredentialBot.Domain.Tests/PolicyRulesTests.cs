using CredentialBot.Domain;

namespace CredentialBot.Domain.Tests;

/// <summary>What makes a policy valid; each refusal says what to change.</summary>
public sealed class PolicyRulesTests
{
    [Fact]
    public void TheDefaultPolicy_IsValid() => Assert.Empty(Policy.Default.Problems());

    [Theory]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 90, 30, 7, 1 })]
    [InlineData(new[] { 45, 10 })]
    public void FirstStagesFrom7To90Days_AreAccepted(int[] stages) =>
        Assert.Empty((Policy.Default with { ExpiryStagesDays = stages }).Problems());

    [Theory]
    [InlineData(new[] { 6, 1 }, "first expiry stage is 6 days")]
    [InlineData(new[] { 91, 30 }, "first expiry stage is 91 days")]
    [InlineData(new[] { 30, 0 }, "at least 1 day")]
    [InlineData(new[] { 30, 14, 14 }, "all be different")]
    [InlineData(new int[0], "at least one expiry stage")]
    public void BadStages_AreRefused_SayingWhy(int[] stages, string reason) =>
        Assert.Contains((Policy.Default with { ExpiryStagesDays = stages }).Problems(), p => p.Contains(reason, StringComparison.Ordinal));

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(90, false)]
    [InlineData(91, true)]
    public void TheTimeToReplaceAnOwnerWhoLeft_IsOneTo90Days(int days, bool refused) =>
        Assert.Equal(refused, (Policy.Default with { OwnerReplacementGracePeriod = TimeSpan.FromDays(days) }).Problems().Any(p => p.Contains("replace a disabled or deleted owner", StringComparison.Ordinal)));

    [Fact]
    public void EveryProblem_IsReported_NotJustTheFirst()
    {
        var policy = Policy.Default with
        {
            Name = "",
            MinimumTechnicalOwners = -1,
            MaximumSecretLifetime = TimeSpan.FromDays(1000),
            RotationGracePeriod = TimeSpan.FromDays(-1),
            Elevation = ElevationSettings.Default with { MaximumDuration = TimeSpan.FromMinutes(1) },
        };

        Assert.Equal(5, policy.Problems().Count);
    }
}
