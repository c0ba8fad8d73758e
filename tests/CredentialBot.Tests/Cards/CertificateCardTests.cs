using CredentialBot.Domain;
using CredentialBot.Rotation.Certificates;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using CredentialBot.TestKit.Time;

namespace CredentialBot.Tests.Cards;

/// <summary>The cards of certificate rotation, pinned by golden files.</summary>
public sealed class CertificateCardTests
{
    private static readonly DateTimeOffset Now = TestClock.DefaultStart;

    private static App Payroll => new AppBuilder(Now)
        .WithIds("5f0c1a2b-0000-0000-0000-000000000001", "1f2e3d4c-0000-0000-0000-0000000000c9")
        .Named("Payroll API")
        .WithSecretExpiringIn(3, "prod-secret")
        .WithCertificateExpiringIn(20, "CN=payroll")
        .Build();

    [Fact]
    public Task TheForm_WithAnAllowedVault_OffersKeyVaultFirst() => GoldenCards.AssertMatchesAsync("dialog-rotate-certificate-vault", CertificateCards.Form(
        Payroll, Policy.Default, CertificateRules.ValiditiesUnder(Policy.Default, null, Now), null, new Uri("https://payroll.vault.azure.net/"), null, Now, new DialogData(null, DialogNames.RotateCertificate, Payroll.ObjectId)));

    [Fact]
    public Task TheForm_WithoutAVault_OffersTheUploadAndSaysWhyNot() => GoldenCards.AssertMatchesAsync("dialog-rotate-certificate-upload", CertificateCards.Form(
        Payroll, Policy.Default, [3, 6, 12], null, null, "Payroll API asks for Key Vault 'https://other.vault.azure.net/', which is not in KeyVault:AllowedVaults.", Now,
        new DialogData(null, DialogNames.RotateCertificate, Payroll.ObjectId), ["The certificate expired on 2026-01-01."]));

    [Fact]
    public Task TheResult_ShowsPublicFactsAndWhatItReplaces()
    {
        var certificate = new PublicCertificate(new byte[] { 1 }, "0123456789ABCDEF0123456789ABCDEF01234567", "CN=payroll-api", Now, Now.AddDays(365));
        var removal = new SecretRemoval(1, Payroll.ObjectId, AppKind.Application, "key-2", "CN=payroll", Now.AddDays(7), "alex", "Alex Wilber", SecretRemovalStatus.Scheduled);
        var outcome = new CertificateRotationOutcome(Payroll, new Credential("key-3", CredentialKind.Certificate, "CN=payroll-api", Now, Now.AddDays(365)), certificate, removal);
        return GoldenCards.AssertMatchesAsync("dialog-certificate-rotated", CertificateCards.Rotated(outcome, "made by Key Vault payroll.vault.azure.net as certificate app-1f2e-cert; its private key stays there"));
    }
}
