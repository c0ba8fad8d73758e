using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

public sealed class ModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(3.0, 3)]
    [InlineData(2.9, 3)]
    [InlineData(1.5, 2)]
    [InlineData(0.2, 1)]
    [InlineData(-0.1, 0)]
    [InlineData(-1.5, -1)]
    public void DaysLeft_CountsAPartDayAsOne(double days, int expected)
    {
        var credential = new Credential("k", CredentialKind.Secret, "s", null, Now.AddDays(days));

        Assert.Equal(expected, credential.DaysLeft(Now));
    }

    /// <summary>Issue 17: "1 day left" beside "7-day notice" for a credential 1.5 days out. The two must agree.</summary>
    [Fact]
    public void DaysLeft_AgreesWithTheExpiryStage_AtEveryHour()
    {
        var policy = Policy.Default;
        for (var hours = 1; hours <= 40 * 24; hours++)
        {
            var credential = new Credential("k", CredentialKind.Secret, "s", null, Now.AddHours(hours));
            var stage = PolicyEvaluator.StageFor(credential, policy, Now);
            var expected = policy.ExpiryStagesDays.Where(d => d >= credential.DaysLeft(Now)).Cast<int?>().Min();

            Assert.Equal(expected, stage);
        }
    }

    [Fact]
    public void NearestExpiry_PicksTheEarliestCredential()
    {
        var app = new AppBuilder(Now).WithSecretExpiringIn(90, "late").WithCertificateExpiringIn(4, "soon").Build();

        Assert.Equal("soon", app.NearestExpiry?.DisplayName);
    }

    [Fact]
    public void NearestExpiry_AppWithoutCredentials_IsNull()
    {
        Assert.Null(new AppBuilder(Now).Build().NearestExpiry);
    }

    [Fact]
    public void IsOwnedBy_ComparesOpaqueIdsOrdinally()
    {
        // Agents Playground ids are not GUIDs; they must still match exactly.
        var app = new AppBuilder(Now).WithOwner(OwnerKind.Technical, "00000000-0000-0000-0000-0000000000020").Build();

        Assert.True(app.IsOwnedBy("00000000-0000-0000-0000-0000000000020"));
        Assert.False(app.IsOwnedBy("00000000-0000-0000-0000-0000000000021"));
    }
}
