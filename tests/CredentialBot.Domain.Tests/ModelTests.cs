using CredentialBot.Domain;
using CredentialBot.TestKit.Builders;

namespace CredentialBot.Domain.Tests;

public sealed class ModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(3.0, 3)]
    [InlineData(2.9, 2)]
    [InlineData(-0.1, -1)]
    public void DaysLeft_RoundsDownToWholeDays(double days, int expected)
    {
        var credential = new Credential("k", CredentialKind.Secret, "s", null, Now.AddDays(days));

        Assert.Equal(expected, credential.DaysLeft(Now));
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
