using CredentialBot.Domain;

namespace CredentialBot.Domain.Tests;

/// <summary>What a new certificate must be, made by Key Vault or uploaded: each refusal says why, a private key above all.</summary>
public sealed class CertificateRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, UploadedCertificate, TimeSpan?, string?> Uploads() => new()
    {
        { "a good certificate", Upload(-1, 90), null, null },
        { "a private key", Upload(-1, 90) with { CarriesPrivateKey = true }, null, "consider it exposed" },
        { "a private key alone", new UploadedCertificate(null, null, 0, true, 1700), null, "consider it exposed" },
        { "too big", new UploadedCertificate(null, null, 0, false, 20 * 1024), null, "at most 16 KB" },
        { "nothing", new UploadedCertificate(null, null, 0, false, 0), null, "Paste the public certificate" },
        { "unreadable", new UploadedCertificate(null, null, 0, false, 300), null, "not a readable X.509 certificate" },
        { "expired", Upload(-60, 30), null, "expired on 2026-11-05" },
        { "not yet valid", Upload(2, 30), null, "not valid yet: it starts on 2026-12-07" },
        { "over the policy", Upload(-1, 400), null, "longer than policy Default allows (365 days at most)" },
        { "over the tenant", Upload(-1, 90), TimeSpan.FromDays(60), "longer than the tenant's app-management policy allows (60 days at most)" },
        { "a tenant limit above the policy", Upload(-1, 300), TimeSpan.FromDays(500), null },
        { "RSA 1024", Upload(-1, 90) with { KeySize = 1024 }, null, "RSA key is 1024 bits; at least 2048" },
        { "ECDSA 256", Upload(-1, 90) with { KeyAlgorithm = "ECDsa", KeySize = 256 }, null, null },
    };

    [Theory]
    [MemberData(nameof(Uploads))]
    public void UploadProblems_SayWhatIsWrong(string what, UploadedCertificate upload, TimeSpan? tenantMaximum, string? problem)
    {
        var problems = CertificateRules.UploadProblems(upload, Policy.Default, tenantMaximum, 7, Now);

        if (problem is null)
        {
            Assert.True(problems.Count == 0, $"{what}: {string.Join(" ", problems)}");
        }
        else
        {
            Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void UploadProblems_PutAPrivateKeyFirst_WhateverElseIsWrong()
    {
        var problems = CertificateRules.UploadProblems(Upload(-60, 30) with { CarriesPrivateKey = true, KeySize = 1024 }, Policy.Default, null, 7, Now);

        Assert.Contains("consider it exposed", problems[0], StringComparison.Ordinal);
        Assert.Equal(3, problems.Count);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(31)]
    public void AGracePeriodOutside0To30Days_IsRefused(int graceDays) =>
        Assert.Contains(CertificateRules.UploadProblems(Upload(-1, 90), Policy.Default, null, graceDays, Now), p => p.Contains("0 to 30 days", StringComparison.Ordinal));

    [Theory]
    [InlineData("CN=payroll", 2048, 12, null, null)]
    [InlineData("CN=payroll", 4096, 3, null, null)]
    [InlineData("payroll", 2048, 12, null, "starting with CN=")]
    [InlineData("CN=payroll", 1024, 12, null, "1024 is not offered")]
    [InlineData("CN=payroll", 2048, 13, null, "13 months is longer than policy Default allows")]
    [InlineData("CN=payroll", 2048, 6, 90, "6 months is longer than the tenant's app-management policy allows (90 days at most)")]
    [InlineData("CN=payroll", 2048, 30, null, "1 to 24 months")]
    public void VaultProblems_HoldTheKeyAndLifetime(string subject, int keySize, int months, int? tenantDays, string? problem)
    {
        var problems = CertificateRules.VaultProblems(new NewCertificatePolicy(subject, keySize, months), Policy.Default, tenantDays is { } d ? TimeSpan.FromDays(d) : null, 7, Now);

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ValiditiesUnder_OfferOnlyWhatFits()
    {
        Assert.Equal([3, 6, 12], CertificateRules.ValiditiesUnder(Policy.Default, null, Now));
        Assert.Equal([3], CertificateRules.ValiditiesUnder(Policy.Default, TimeSpan.FromDays(100), Now));
        Assert.Equal([1], CertificateRules.ValiditiesUnder(Policy.Default, TimeSpan.FromDays(40), Now));
    }

    private static UploadedCertificate Upload(int startsInDays, int validDays) =>
        new(new PublicCertificate(new byte[] { 1 }, "AB12", "CN=payroll", Now.AddDays(startsInDays), Now.AddDays(startsInDays + validDays)), "RSA", 2048, false, 1200);
}
