using CredentialBot.Admin.Compliance;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>The rotation receipt and the question about an old credential still in use, pinned by golden files.</summary>
public sealed class ReceiptCardTests
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;

    private static App Payroll => new AppBuilder(Now)
        .WithIds("5f0c1a2b-0000-0000-0000-000000000001", "1f2e3d4c-0000-0000-0000-0000000000c9")
        .Named("Payroll API")
        .WithSecretExpiringIn(30, "prod-secret")
        .Build();

    [Fact]
    public Task TheReceipt_SaysWhenTheNewCredentialWasFirstUsed() =>
        GoldenCards.AssertMatchesAsync("receipt-first-used", ReceiptCards.FirstUsed(Payroll, "Rotated by CredentialBot 2026-12-01", Now.AddDays(-2), Now.AddHours(-5)));

    [Fact]
    public Task AnOldCredentialStillUsed_AsksToRemoveAnywayOrKeep() =>
        GoldenCards.AssertMatchesAsync("receipt-still-used", ReceiptCards.StillUsed(Payroll, Removal(), Now.AddHours(-2), Now, 7, "0f0e0d0c0b0a09080706050403020100"));

    [Fact]
    public Task TheComplianceSummary_CountsCredentialsUnusedFor90Days() =>
        GoldenCards.AssertMatchesAsync("compliance-credential-use", CardParts.Card(UnusedCredentialsSection.Build(new UsageSurvey(Now, true, null, 41, 9, 90))));

    [Fact]
    public Task WithoutTheReports_TheComplianceSummarySaysWhy() =>
        GoldenCards.AssertMatchesAsync("compliance-credential-use-unavailable", CardParts.Card(UnusedCredentialsSection.Build(new UsageSurvey(Now, false, "Credential usage reports need Microsoft Entra ID P1 or P2, which this tenant does not have.", 0, 0, 90))));

    [Theory]
    [InlineData(0.5, "just now")]
    [InlineData(14, "14 min ago")]
    [InlineData(120, "2 h ago")]
    [InlineData(47 * 60, "47 h ago")]
    [InlineData(3 * 24 * 60, "3 days ago")]
    public void Ago_SaysHowLongSinceTheUse_AsPeopleSayIt(double minutes, string expected) =>
        Assert.Equal(expected, ReceiptCards.Ago(TimeSpan.FromMinutes(minutes)));

    private static SecretRemoval Removal() =>
        new(1, Payroll.ObjectId, AppKind.Application, Payroll.Credentials[0].KeyId, "prod-secret", Now.AddHours(-1), "00000000-0000-0000-0000-0000000000020", "Alex Wilber", SecretRemovalStatus.Scheduled);
}
