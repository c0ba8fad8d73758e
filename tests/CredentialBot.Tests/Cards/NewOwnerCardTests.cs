using CredentialBot.Domain;
using CredentialBot.Ownership;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>The card a new owner gets, by kind of owner, pinned by golden files.</summary>
public sealed class NewOwnerCardTests
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;

    private static App Payroll => new AppBuilder(Now)
        .WithIds("5f0c1a2b-0000-0000-0000-000000000001", "1f2e3d4c-0000-0000-0000-0000000000c9")
        .Named("Payroll API")
        .WithSecretExpiringIn(30, "prod-secret")
        .Build();

    [Fact]
    public Task ATechnicalOwnerWhoMayRotate_IsOfferedRotateNow() =>
        GoldenCards.AssertMatchesAsync("new-owner-technical", NewOwnerCard.Build(Payroll, OwnerKind.Technical, manageCredentials: true, "Alex Wilber", "Added"));

    [Fact]
    public Task ABusinessOwner_IsOfferedElevation() =>
        GoldenCards.AssertMatchesAsync("new-owner-business", NewOwnerCard.Build(Payroll, OwnerKind.Business, manageCredentials: false, "Megan Bowen", "Imported from a CSV file"));
}
