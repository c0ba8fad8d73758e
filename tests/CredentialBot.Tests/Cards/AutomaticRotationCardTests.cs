using CredentialBot.Admin.Policies;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Rotation.Automatic;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>The cards of hands-free rotation (rotated, refused, unused) and a policy that opts in, pinned by golden files.</summary>
public sealed class AutomaticRotationCardTests
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;
    private static readonly Policy HandsFree = Policy.Default with { Name = "Hands-free", AutomaticRotation = new AutomaticRotation(14, 5) };

    private static App Payroll => new AppBuilder(Now).WithIds("5f0c1a2b-0000-0000-0000-000000000001", "1f2e3d4c-0000-0000-0000-0000000000c9").Named("Payroll API").WithSecretExpiringIn(10, "prod-secret").Build();

    private static AutomaticRotationEntry Delivered => new(
        7, Payroll.ObjectId, AppKind.Application, "key-1", "prod-secret", Now.AddDays(10), "Hands-free", "CredentialBot automatic 2026-01-01 0123456789ab",
        AutomaticRotationState.Delivered, 1, "9a8b7c6d-0000-0000-0000-000000000042", Now.AddDays(365),
        "https://contoso.vault.azure.net/secrets/app-1f2e3d4c-0000-0000-0000-0000000000c9/5d1e2f3a4b5c6d7e8f90a1b2c3d4e5f6", null, Now, Now, null, null, null);

    [Fact]
    public Task Rotated_SaysWhereTheValueWent_NeverTheValue() =>
        GoldenCards.AssertMatchesAsync("auto-rotated", AutomaticRotationCards.Rotated(Payroll, Delivered, HandsFree));

    [Fact]
    public Task Refused_SaysWhyAndHowToFixIt() =>
        GoldenCards.AssertMatchesAsync("auto-rotation-refused", AutomaticRotationCards.Refused(
            Payroll,
            Delivered with { State = AutomaticRotationState.Refused, NewKeyId = null, NewEndsAt = null, VaultSecretId = null, DeliveredAt = null },
            "Payroll API has no Key Vault to write the new secret to (tag it CredentialBot:KeyVault= followed by an allowed vault's address)."));

    [Fact]
    public Task Unused_SaysTheOldSecretIsKeptAndWhenItExpires() =>
        GoldenCards.AssertMatchesAsync("auto-rotation-unused", AutomaticRotationCards.Unused(Payroll, Delivered, 5));

    [Fact]
    public Task TheOwnersDigest_SaysWhatWasRotatedAutomatically_WhereItWent_AndWhen()
    {
        var app = new AppBuilder(Now).WithIds(Payroll.ObjectId, Payroll.AppId).Named("Payroll API").WithSecretExpiringIn(10, "prod-secret")
            .WithOwner(OwnerKind.Technical, "00000000-0000-0000-0000-0000000000020", "Alex Wilber", canManageCredentials: true).Build();
        var notices = NotificationPlanner.Plan(app, HandsFree, PolicyEvaluator.Evaluate(app, HandsFree, Now));
        return GoldenCards.AssertMatchesAsync("digest-rotated-automatically", DigestCard.ForOwner([new DigestItem(app, notices, HandsFree.Name) { RotatedAutomatically = [Delivered] }], Now));
    }

    private static AutomaticRotationEntry CertificateDelivered => Delivered with
    {
        OldKeyId = "key-2",
        OldCredentialName = "CN=payroll-api",
        NewKeyId = "3c4d5e6f-0000-0000-0000-000000000043",
        VaultSecretId = "https://contoso.vault.azure.net/certificates/app-1f2e3d4c-0000-0000-0000-0000000000c9-cert",
        Kind = CredentialKind.Certificate,
        NewThumbprint = "5A1B2C3D4E5F60718293A4B5C6D7E8F901234567",
    };

    [Fact]
    public Task ACertificateRotated_SaysWhichVaultMadeIt_ItsThumbprintAndExpiry_NeverAKey() =>
        GoldenCards.AssertMatchesAsync("auto-rotated-certificate", AutomaticRotationCards.Rotated(Payroll, CertificateDelivered, HandsFree));

    [Fact]
    public Task ACertificateTheVaultDidNotMake_IsLeftToPeople_SayingHowToRotateIt() =>
        GoldenCards.AssertMatchesAsync("auto-rotation-left-to-people", AutomaticRotationCards.Refused(
            Payroll,
            CertificateDelivered with { State = AutomaticRotationState.LeftToPeople, NewKeyId = null, NewEndsAt = null, VaultSecretId = null, DeliveredAt = null, NewThumbprint = null },
            "CN=payroll-api (key-2) was not made by Key Vault contoso.vault.azure.net: the vault has no certificate app-1f2e3d4c-0000-0000-0000-0000000000c9-cert, so the bot cannot renew it where its consumers read it.",
            forGood: true));

    [Fact]
    public Task ACertificateUnused_SaysTheOldCertificateIsKept() =>
        GoldenCards.AssertMatchesAsync("auto-rotation-unused-certificate", AutomaticRotationCards.Unused(Payroll, CertificateDelivered, 5));

    [Fact]
    public Task TheOwnersDigest_SaysWhichCertificateWasRenewed_ItsThumbprintAndExpiry()
    {
        var app = new AppBuilder(Now).WithIds(Payroll.ObjectId, Payroll.AppId).Named("Payroll API").WithCertificateExpiringIn(10, "CN=payroll-api")
            .WithOwner(OwnerKind.Technical, "00000000-0000-0000-0000-0000000000020", "Alex Wilber", canManageCredentials: true).Build();
        var notices = NotificationPlanner.Plan(app, HandsFree, PolicyEvaluator.Evaluate(app, HandsFree, Now));
        return GoldenCards.AssertMatchesAsync("digest-rotated-certificate-automatically", DigestCard.ForOwner([new DigestItem(app, notices, HandsFree.Name) { RotatedAutomatically = [CertificateDelivered] }], Now));
    }

    [Fact]
    public Task APolicyThatOptsIn_SaysSoOnItsCard() =>
        GoldenCards.AssertMatchesAsync("policy-hands-free", PolicyCards.Show(HandsFree, ["Tag: HandsFree"], DialogButtons.TaskModule));
}
