using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Certificates;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.TestKit.KeyVault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Directory.Tests;

/// <summary>
/// Certificates made by a vault through the Azure SDK, against a local Key Vault over HTTPS: the public part comes back,
/// the private key stays in the vault, the newest version is read back with its tags, and a refusal is a value.
/// </summary>
public sealed class CreatingCertificatesInKeyVault : IAsyncLifetime
{
    private static readonly NewCertificatePolicy Policy = new("CN=payroll-api", 2048, 12);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private FakeKeyVault _vault = null!;
    private KeyVaultCertificates _certificates = null!;

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVault.StartAsync(_time);
        var options = new CertificateClientOptions
        {
            Transport = new HttpClientTransport(_vault.TrustingHandler()),
            Retry = { MaxRetries = 0 },
            DisableChallengeResourceVerification = true,
        };
        _certificates = new KeyVaultCertificates(new StaticTokenCredential("vault-test-token"), options, NullLogger<KeyVaultCertificates>.Instance) { PollingInterval = TimeSpan.FromMilliseconds(20) };
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task TheVaultMakesTheCertificate_AndOnlyItsPublicPartComesBack()
    {
        var result = await _certificates.CreateCertificateAsync(_vault.BaseAddress, "payroll-api-2027", Policy);

        var certificate = result.Value!;
        var issued = Assert.Single(_vault.IssuedVersions("payroll-api-2027"));
        Assert.Equal((issued.Thumbprint, "CN=payroll-api", issued.NotBefore, issued.NotAfter), (certificate.Thumbprint, certificate.Subject, certificate.NotBefore, certificate.NotAfter));
        Assert.Equal(_time.GetUtcNow().AddMonths(12), certificate.NotAfter);
        Assert.Equal((2048, false), (issued.KeySize, issued.Exportable));
        Assert.Equal(issued.Cer, certificate.Der.ToArray());

        // The operation was polled until issued, and nothing ever asked for, or received, the private key.
        Assert.True(_vault.Requests.Count(r => r.EndsWith("/pending", StringComparison.Ordinal)) >= 3);
        Assert.DoesNotContain(_vault.Requests, r => r.Contains("/secrets/", StringComparison.Ordinal));
        var privateKey = Convert.ToBase64String(_vault.PrivateKeyOf("payroll-api-2027")!);
        Assert.DoesNotContain(_vault.ResponseBodies, body => body.Contains(privateKey[..64], StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVaultCertificate_CanBeAddedToAnApp()
    {
        var tenant = DemoTenant.Create(_time);
        await using var server = await SimulatorServer.StartAsync(tenant);
        await using var services = TestDirectory.Build(server.BaseAddress);
        var certificate = (await _certificates.CreateCertificateAsync(_vault.BaseAddress, "data-lake-ingest", Policy with { Subject = "CN=datalake-ingest" })).Value!;

        var added = await services.GetRequiredService<ITenantAdministration>().AddCertificateAsync(AppKind.Application, DemoTenant.ObjectId(4), certificate, null);

        Assert.Equal("CN=datalake-ingest", added.Value?.DisplayName);
        Assert.Equal(Convert.ToBase64String(_vault.IssuedVersions("data-lake-ingest")[0].Cer), tenant.Find(DemoTenant.ObjectId(4))!.KeyCredentials.Single(k => k.KeyId == added.Value!.KeyId).Key);
    }

    [Fact]
    public async Task TheNewestVersion_IsReadWithItsTags_AndAVaultWithoutTheCertificateSaysNotFound()
    {
        Assert.Equal(DirectoryRefusalKind.NotFound, (await _certificates.GetCurrentAsync(_vault.BaseAddress, "payroll-api")).Refusal?.Kind);
        await _certificates.CreateCertificateAsync(_vault.BaseAddress, "payroll-api", Policy);
        _time.Advance(TimeSpan.FromDays(30));
        var tags = new Dictionary<string, string> { ["CredentialBotRotation"] = "CredentialBot automatic 2026-12-31 0123456789ab" };
        var renewed = (await _certificates.CreateCertificateAsync(_vault.BaseAddress, "payroll-api", Policy, tags)).Value!;

        var current = (await _certificates.GetCurrentAsync(_vault.BaseAddress, "payroll-api")).Value!;

        var issued = _vault.IssuedVersions("payroll-api");
        Assert.Equal(2, issued.Count);
        Assert.Equal((renewed.Thumbprint, renewed.NotAfter), (current.Certificate.Thumbprint, current.Certificate.NotAfter));
        Assert.Equal(new Uri(_vault.BaseAddress, $"certificates/payroll-api/{issued[^1].Version}"), current.Id);
        Assert.Equal(tags, current.Tags);
        var privateKey = Convert.ToBase64String(_vault.PrivateKeyOf("payroll-api")!);
        Assert.DoesNotContain(_vault.ResponseBodies, body => body.Contains(privateKey[..64], StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadNameOrAPlainHttpVault_IsRefusedBeforeTheVaultIsAsked()
    {
        Assert.Equal(DirectoryRefusalKind.Invalid, (await _certificates.GetCurrentAsync(_vault.BaseAddress, "not a name")).Refusal?.Kind);
        Assert.Equal(DirectoryRefusalKind.Invalid, (await _certificates.GetCurrentAsync(new Uri("http://127.0.0.1/"), "payroll-api")).Refusal?.Kind);
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task AVaultThatForbidsIt_IsAMissingPermission_NamingWhatToGrant()
    {
        _vault.FailWith = HttpStatusCode.Forbidden;

        var refusal = (await _certificates.CreateCertificateAsync(_vault.BaseAddress, "payroll-api-2027", Policy)).Refusal;

        Assert.Equal(DirectoryRefusalKind.MissingPermission, refusal?.Kind);
        Assert.Contains("Key Vault Certificates Officer", refusal?.Reason, StringComparison.Ordinal);
        Assert.Empty(_vault.IssuedVersions("payroll-api-2027"));
    }

    [Fact]
    public async Task ASecondRequestWhileTheFirstIsPending_IsInvalid_WithTheVaultsReason_AndTheFirstCanBeCancelled()
    {
        _vault.PollsUntilIssued = 1_000_000;
        using var stop = new CancellationTokenSource();
        var first = _certificates.CreateCertificateAsync(_vault.BaseAddress, "in-progress", Policy, cancellationToken: stop.Token);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!_vault.Requests.Any(r => r.EndsWith("/pending", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var refusal = (await _certificates.CreateCertificateAsync(_vault.BaseAddress, "in-progress", Policy)).Refusal;

        Assert.Equal(DirectoryRefusalKind.Invalid, refusal?.Kind);
        Assert.Contains("already a certificate operation in progress", refusal?.Reason, StringComparison.Ordinal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    [Theory]
    [InlineData("bad_name", "CN=x", 2048, 12, "letters, digits and dashes")]
    [InlineData("ok", "payroll", 2048, 12, "CN=")]
    [InlineData("ok", "CN=x", 1024, 12, "1024 is not offered")]
    [InlineData("ok", "CN=x", 2048, 0, "1 to 24 months")]
    public async Task ABadRequest_IsRefusedWithoutAskingTheVault(string name, string subject, int keySize, int months, string problem)
    {
        var refusal = (await _certificates.CreateCertificateAsync(_vault.BaseAddress, name, new NewCertificatePolicy(subject, keySize, months))).Refusal;

        Assert.Equal(DirectoryRefusalKind.Invalid, refusal?.Kind);
        Assert.Contains(problem, refusal?.Reason, StringComparison.Ordinal);
        Assert.Empty(_vault.Requests);
    }

    private sealed class StaticTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
