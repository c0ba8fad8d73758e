using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.Directory.Tests;

/// <summary>Certificates added to and removed from Apps by PATCH of keyCredentials, against the Simulator over HTTP.</summary>
public sealed class ChangingCertificates : IAsyncLifetime
{
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private SimulatedDemoTenant _demo = null!;


    private ITenantAdministration Administration => _demo.Administration;

    public async Task InitializeAsync() => _demo = await SimulatedDemoTenant.StartAsync();

    public async Task DisposeAsync() => await _demo.DisposeAsync();

    [Fact]
    public async Task AddingACertificate_KeepsTheExistingOne_WithItsKey()
    {
        var existing = _demo.Tenant.Find(Payroll)!.KeyCredentials.Single();
        var certificate = SampleCertificates.Public("CN=payroll-api-2027");

        var added = (await Administration.AddCertificateAsync(AppKind.Application, Payroll, certificate, "payroll 2027")).Value!;

        var keys = _demo.Tenant.Find(Payroll)!.KeyCredentials;
        Assert.Equal(2, keys.Count);
        var kept = keys.Single(k => k.KeyId == existing.KeyId);
        Assert.Equal((existing.DisplayName, existing.EndDateTime, SimCertificates.SharedPlaceholder), (kept.DisplayName, kept.EndDateTime, kept.Key));
        var stored = keys.Single(k => k.KeyId == added.KeyId);
        Assert.Equal((Convert.ToBase64String(certificate.Der.Span), "payroll 2027", certificate.Thumbprint), (stored.Key, stored.DisplayName, stored.CustomKeyIdentifier));
        Assert.Equal(new Credential(added.KeyId, CredentialKind.Certificate, "payroll 2027", certificate.NotBefore, certificate.NotAfter), added);

        // What a read shows afterwards is what the answer said.
        Assert.Contains(added, (await Administration.GetAppAsync(AppKind.Application, Payroll))!.Credentials);
    }

    [Fact]
    public async Task RemovingACertificate_RemovesOnlyThatOne_AndASecondRemovalFindsNothing()
    {
        var first = (await Administration.AddCertificateAsync(AppKind.Application, Payroll, SampleCertificates.Public("CN=one"), null)).Value!;
        var second = (await Administration.AddCertificateAsync(AppKind.Application, Payroll, SampleCertificates.Public("CN=two"), null)).Value!;

        var removed = await Administration.RemoveCertificateAsync(AppKind.Application, Payroll, first.KeyId.ToUpperInvariant());
        var again = await Administration.RemoveCertificateAsync(AppKind.Application, Payroll, first.KeyId);

        Assert.Equal("CN=one", removed.Value?.DisplayName);
        Assert.Equal(DirectoryRefusalKind.NotFound, again.Refusal?.Kind);
        Assert.Equal(2, _demo.Tenant.Find(Payroll)!.KeyCredentials.Count);
        Assert.Contains(_demo.Tenant.Find(Payroll)!.KeyCredentials, k => k.KeyId == second.KeyId);
    }

    [Fact]
    public async Task TheSameCertificateTwice_IsAddedOnce()
    {
        var certificate = SampleCertificates.Public("CN=clicked-twice");

        var results = await Task.WhenAll(
            Administration.AddCertificateAsync(AppKind.Application, Payroll, certificate, null),
            Administration.AddCertificateAsync(AppKind.Application, Payroll, certificate, null));

        Assert.Single(results, r => r.Value is not null);
        Assert.Contains("already on the app", Assert.Single(results, r => r.IsRefused).Refusal!.Reason, StringComparison.Ordinal);
        Assert.Equal(2, _demo.Tenant.Find(Payroll)!.KeyCredentials.Count);
    }

    [Fact]
    public async Task TwentyPeopleAddingAtOnce_LoseNoCertificate()
    {
        var certificates = Enumerable.Range(0, 20).Select(i => SampleCertificates.Public($"CN=concurrent-{i}")).ToList();

        var results = await Task.WhenAll(certificates.Select(c => Administration.AddCertificateAsync(AppKind.Application, Payroll, c, null)));

        Assert.All(results, r => Assert.NotNull(r.Value));
        Assert.Equal(21, _demo.Tenant.Find(Payroll)!.KeyCredentials.Count);
    }

    [Fact]
    public async Task APfxWithItsPrivateKey_IsRefused_AndNeverSent()
    {
        var requests = _demo.Tenant.RequestCount;
        var pfx = new PublicCertificate(SampleCertificates.Pfx(), "00", "CN=with-private-key", DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

        var result = await Administration.AddCertificateAsync(AppKind.Application, Payroll, pfx, null);

        Assert.Equal(DirectoryRefusalKind.Invalid, result.Refusal?.Kind);
        Assert.Equal(requests, _demo.Tenant.RequestCount);
        Assert.Null(PublicCertificates.TryRead(SampleCertificates.Pfx()));
    }

    [Fact]
    public async Task AnEnterpriseAppThatSignsTokens_IsLeftToEntra()
    {
        var saml = DemoTenant.ObjectId(21);
        _demo.Tenant.Modify(saml, sp => sp.KeyCredentials.Add(sp.KeyCredentials[0] with { KeyId = Guid.NewGuid().ToString(), Usage = "Sign", Type = "X509CertAndPassword" }));
        var before = _demo.Tenant.Find(saml)!.KeyCredentials.ToList();

        var result = await Administration.AddCertificateAsync(AppKind.ServicePrincipal, saml, SampleCertificates.Public(), null);

        Assert.Equal(DirectoryRefusalKind.Invalid, result.Refusal?.Kind);
        Assert.Contains("Entra admin center", result.Refusal!.Reason, StringComparison.Ordinal);
        Assert.Equal(before, _demo.Tenant.Find(saml)!.KeyCredentials);
    }

    [Fact]
    public async Task AServicePrincipalsCertificates_AreChangedTheSameWay()
    {
        var zscaler = DemoTenant.ObjectId(23);

        var added = await Administration.AddCertificateAsync(AppKind.ServicePrincipal, zscaler, SampleCertificates.Public("CN=zscaler-2027"), null);

        Assert.Equal(2, _demo.Tenant.Find(zscaler)!.KeyCredentials.Count);
        Assert.NotNull((await Administration.RemoveCertificateAsync(AppKind.ServicePrincipal, zscaler, added.Value!.KeyId)).Value);
        Assert.Single(_demo.Tenant.Find(zscaler)!.KeyCredentials);
    }

    [Fact]
    public async Task AnAppThatIsGone_IsNotFound()
    {
        var result = await Administration.AddCertificateAsync(AppKind.Application, "no-such-app", SampleCertificates.Public(), null);

        Assert.Equal(DirectoryRefusalKind.NotFound, result.Refusal?.Kind);
    }

    [Fact]
    public async Task TheExistingKeysAreReadAsAPersonsRequest()
    {
        await using var limited = await SimulatorServer.StartAsync(_demo.Tenant, new SimulatorOptions { Limits = new GraphLimits() });
        await using var services = TestDirectory.Build(limited.BaseAddress);

        await services.GetRequiredService<ITenantAdministration>().AddCertificateAsync(AppKind.Application, Payroll, SampleCertificates.Public(), null);

        var budget = services.GetRequiredService<KeyCredentialBudget>();
        Assert.Equal((1, 0), (budget.AdmittedInteractive, budget.AdmittedBackground));
        Assert.Equal(1, (await TestDirectory.StatsAsync(limited))["keyCredentialRequests"]);
        Assert.Equal(0, _demo.Tenant.LowPriorityRequestCount);
    }
}
