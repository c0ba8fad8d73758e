using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Certificates;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Simulator;
using CredentialBot.TestKit.KeyVault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// "Rotate certificate" from the status card, through the real host, the Simulator's keyCredentials and a local Key
/// Vault over HTTPS: a certificate Key Vault makes (its private key never leaves the vault), a public certificate an
/// owner pastes, every refusal with its reason and audited, and the old certificate removed by the janitor after the
/// grace period unless someone keeps it.
/// </summary>
public sealed class RotatingCertificates : IAsyncLifetime
{
    private const string PayrollName = "Payroll API";
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private static readonly string VaultCertificate = $"app-{DemoTenant.AppId(1)}-cert";
    private FakeKeyVault _vault = null!;
    private BotHost _bot = null!;

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVault.StartAsync();
        _vault.PollsUntilIssued = 1;
        _bot = new BotHost()
            .With("KeyVault:AllowedVaults:0", _vault.BaseAddress.ToString())
            .WithServices(services =>
            {
                services.RemoveAll<CertificateClientOptions>();
                services.AddSingleton(new CertificateClientOptions { Transport = new HttpClientTransport(_vault.TrustingHandler()), Retry = { MaxRetries = 0 }, DisableChallengeResourceVerification = true });
                services.RemoveAll<KeyVaultDeliveryCredential>();
                services.AddSingleton(new KeyVaultDeliveryCredential(new StaticTokenCredential("vault-test-token")));
            });
        await _bot.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _vault.DisposeAsync();
    }

    [Fact]
    public async Task KeyVaultMakesTheCertificate_OnlyItsPublicKeyReachesTheApp_AndThePrivateKeyNeverLeavesTheVault()
    {
        await TagPayrollAsync(_vault.BaseAddress.ToString());
        var oldKey = Certificates().Single().KeyId;
        var form = await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber");
        Assert.Equal(oldKey, InputValue(form, "replace"));
        Assert.Equal("vault", InputValue(form, "method"));

        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Rotate the certificate", ("certificateSubject", "CN=payroll-api"), ("keySize", "3072"), ("validity", "12"), ("grace", "7")), BotHost.Alex, "Alex Wilber", replyToId: "status-card-1");

        var shown = DialogCard(answer);
        var issued = Assert.Single(_vault.IssuedVersions(VaultCertificate));
        Assert.False(issued.Exportable);
        Assert.Equal((3072, 12, "CN=payroll-api"), (issued.KeySize, issued.ValidityMonths, issued.Subject));
        var added = Certificates().Single(c => c.KeyId != oldKey);
        Assert.Equal(Convert.ToBase64String(issued.Cer), added.Key);
        Assert.Contains(oldKey, Certificates().Select(c => c.KeyId));
        Assert.Contains(issued.Thumbprint, AllText(shown), StringComparison.Ordinal);
        Assert.Contains("its private key stays there", AllText(shown), StringComparison.Ordinal);
        Assert.Contains("Certificate rotated by Alex Wilber", AllText(Assert.Single(_bot.Connector.Calls, c => c.Method == "PUT").Body), StringComparison.Ordinal);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateCertificate", Outcome: "Succeeded", ActorObjectId: BotHost.Alex } && e.Reason!.Contains(issued.Thumbprint, StringComparison.Ordinal) && e.Reason.Contains("made by Key Vault", StringComparison.Ordinal));

        // The private key is in the vault and in nothing the vault sent, the bot sent to Teams or Graph, or logged.
        var privateKey = Convert.ToBase64String(_vault.PrivateKeyOf(VaultCertificate)!);
        Assert.DoesNotContain(_vault.ResponseBodies, b => b.Contains(privateKey[..64], StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.Connector.Calls, c => c.Body.GetRawText().Contains(privateKey[..64], StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.Logs.Lines, l => l.Contains(privateKey[..64], StringComparison.Ordinal));
        Assert.DoesNotContain(Certificates(), c => c.Key?.Contains(privateKey[..64], StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task TheOldCertificate_IsRemovedByTheJanitor_WhenTheGracePeriodEnds_KeepingTheNewOne()
    {
        var oldKey = Certificates().Single().KeyId;
        var form = await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber");
        await _bot.InvokeAsync("task/submit", Submit(form, "Rotate the certificate", ("certificate", Pem(NewCertificate())), ("grace", "3")), BotHost.Alex, "Alex Wilber");
        var newKey = Certificates().Single(c => c.KeyId != oldKey).KeyId;

        _bot.Time.Advance(TimeSpan.FromDays(2));
        await _bot.RunJanitorAsync();
        Assert.Contains(oldKey, Certificates().Select(c => c.KeyId));

        _bot.Time.Advance(TimeSpan.FromDays(1.01));
        await _bot.RunJanitorAsync();
        await _bot.RunJanitorAsync();

        Assert.Equal([newKey], Certificates().Select(c => c.KeyId));
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Succeeded" } && e.Reason!.Contains(oldKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOwnerCanKeepTheOldCertificate_CancellingItsRemoval()
    {
        var old = Certificates().Single();
        var form = await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber");
        await _bot.InvokeAsync("task/submit", Submit(form, "Rotate the certificate", ("certificate", Pem(NewCertificate())), ("grace", "3")), BotHost.Alex, "Alex Wilber", replyToId: "status-card-1");
        var redrawn = Assert.Single(_bot.Connector.Calls, c => c.Method == "PUT").Cards[0];
        Assert.Matches($"{System.Text.RegularExpressions.Regex.Escape(old.DisplayName!)} was replaced by Alex Wilber's rotation at \\d{{4}}-\\d{{2}}-\\d{{2}} \\d{{2}}:\\d{{2}} UTC and is removed on", AllText(redrawn));

        await _bot.ExecuteAsync("cancelRemoval", new JsonObject { ["app"] = Payroll, ["credential"] = old.KeyId }, BotHost.Alex, "Alex Wilber");
        _bot.Time.Advance(TimeSpan.FromDays(4));
        await _bot.RunJanitorAsync();

        Assert.Equal(2, Certificates().Count);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "CancelSecretRemoval", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task APastedPublicCertificate_IsAdded_WithTheOthersKept()
    {
        using var certificate = NewCertificate();
        var before = Certificates().Count;
        var form = await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber");
        Assert.Equal("upload", InputValue(form, "method"));

        var shown = DialogCard(await SubmitAsync(form, ("certificate", Pem(certificate)), ("replace", string.Empty)));

        Assert.Equal(before + 1, Certificates().Count);
        Assert.Contains(Certificates(), c => c.Key == Convert.ToBase64String(certificate.RawData));
        Assert.Contains(certificate.Thumbprint, AllText(shown), StringComparison.Ordinal);
        Assert.Contains("every existing certificate stays", AllText(shown), StringComparison.Ordinal);
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task ACertificateWhoseEventCannotBeWritten_IsRemovedFromTheAppAgain_AndNoRemovalOfTheOldOneIsScheduled()
    {
        using var certificate = NewCertificate();
        var before = Certificates().Select(c => c.KeyId).ToList();
        await _bot.RefuseAuditEventsAsync("RotateCertificate", "Succeeded");
        var form = await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber");

        var shown = DialogCard(await SubmitAsync(form, ("certificate", Pem(certificate))));
        _bot.Time.Advance(TimeSpan.FromDays(30));
        await _bot.RunJanitorAsync();

        Assert.Contains("could not record the new certificate, so it removed it from Entra again", AllText(shown), StringComparison.Ordinal);
        Assert.Equal(before, Certificates().Select(c => c.KeyId));
        var failed = Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RotateCertificate", Outcome: "Failed" });
        Assert.Matches("^New certificate [0-9a-f-]{36} removed again: the change could not be recorded$", failed.Reason);
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e is { Operation: "RotateCertificate", Outcome: "Succeeded" } or { Operation: "RemoveOldCertificate" or "RemoveOldSecret" });
    }

    public static TheoryData<string, string> BadUploads() => new()
    {
        { "private-key", "consider it exposed" },
        { "pfx", "consider it exposed" },
        { "expired", "The certificate expired on" },
        { "not-yet-valid", "The certificate is not valid yet" },
        { "too-long", "longer than policy Default app registrations allows (365 days at most)" },
        { "rsa-1024", "Its RSA key is 1024 bits; at least 2048 bits are required." },
        { "too-big", "a public certificate is at most 16 KB" },
        { "garbage", "That is not a readable X.509 certificate" },
        { "empty", "Paste the public certificate" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task ABadUpload_IsRefused_SayingWhy_Audited_AndNothingChanges(string upload, string reason)
    {
        var before = Certificates().Select(c => c.KeyId).ToList();
        var form = await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber");

        var shown = DialogCard(await SubmitAsync(form, ("certificate", Upload(upload, _bot.Time.GetUtcNow()))));

        Assert.Contains(reason, AllText(shown), StringComparison.Ordinal);
        Assert.Null(InputValue(shown, "certificate"));
        Assert.Equal(before, Certificates().Select(c => c.KeyId));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateCertificate", Outcome: "Refused" } && e.Reason!.Contains(reason, StringComparison.Ordinal));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Reason!.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APastedPrivateKey_IsKeptNowhere_NotInTeams_TheLogs_TheAuditTrail_OrTheDatabase()
    {
        var pasted = Upload("private-key", _bot.Time.GetUtcNow());
        var keyBody = pasted.Split("-----BEGIN PRIVATE KEY-----")[1].Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];

        var shown = DialogCard(await SubmitAsync(await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber"), ("certificate", pasted)));

        Assert.Contains("consider it exposed", AllText(shown), StringComparison.Ordinal);
        Assert.DoesNotContain(_bot.Connector.Calls, c => c.Body.GetRawText().Contains(keyBody, StringComparison.Ordinal));
        Assert.DoesNotContain(shown.GetRawText(), keyBody, StringComparison.Ordinal);
        Assert.DoesNotContain(_bot.Logs.Lines, l => l.Contains(keyBody, StringComparison.Ordinal));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => $"{e.Reason} {e.Ticket}".Contains(keyBody, StringComparison.Ordinal));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in System.IO.Directory.GetFiles(Path.GetDirectoryName(_bot.DatabasePath)!, "e2e.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(keyBody)) >= 0, $"The private key is in {file}");
        }
    }

    [Fact]
    public async Task ACertificateAlreadyOnTheApp_IsRefused_ByThumbprint()
    {
        using var certificate = NewCertificate();
        await SubmitAsync(await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber"), ("certificate", Pem(certificate)), ("replace", string.Empty));
        var count = Certificates().Count;

        var shown = DialogCard(await SubmitAsync(await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber"), ("certificate", Pem(certificate)), ("replace", string.Empty)));

        Assert.Contains("is already on the app", AllText(shown), StringComparison.Ordinal);
        Assert.Equal(count, Certificates().Count);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateCertificate", Outcome: "Refused" } && e.Reason!.Contains(certificate.Thumbprint, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTenantsCertificateLifetimeLimit_IsHeldToo()
    {
        _bot.Tenant.Policies.AppManagement.IsEnabled = true;
        _bot.Tenant.Policies.AppManagement.ApplicationKeys.Add(new SimRestriction("asymmetricKeyLifetime", TimeSpan.FromDays(60)));
        using var certificate = NewCertificate(days: 90);

        var shown = DialogCard(await SubmitAsync(await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber"), ("certificate", Pem(certificate))));

        Assert.Contains("longer than the tenant's app-management policy allows (60 days at most)", AllText(shown), StringComparison.Ordinal);
        Assert.Single(Certificates());
    }

    [Fact]
    public async Task KeyVaultMade_ForAnAppWithoutAVault_IsRefused_AndTheVaultIsNotAsked()
    {
        var form = await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber");
        Assert.DoesNotContain("Made by Key Vault", AllText(form), StringComparison.Ordinal);

        var shown = DialogCard(await SubmitAsync(form, ("method", "vault"), ("certificateSubject", "CN=payroll"), ("keySize", "2048"), ("validity", "12")));

        Assert.Contains("has no Key Vault", AllText(shown), StringComparison.Ordinal);
        Assert.Empty(_vault.Requests);
        Assert.Single(Certificates());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateCertificate", Outcome: "Refused" });
    }

    [Fact]
    public async Task KeyVaultMade_IntoAVaultThatIsNotAllowed_IsRefused()
    {
        await TagPayrollAsync("https://attacker.vault.azure.net/");

        var shown = DialogCard(await SubmitAsync(await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber"), ("method", "vault"), ("certificateSubject", "CN=payroll"), ("keySize", "2048"), ("validity", "12")));

        Assert.Contains("which is not in KeyVault:AllowedVaults", AllText(shown), StringComparison.Ordinal);
        Assert.Empty(_vault.Requests);
        Assert.Single(Certificates());
    }

    [Fact]
    public async Task KeyVaultMade_OverThePolicyMaximum_OrWithAnOddKey_IsRefused_BeforeTheVaultIsAsked()
    {
        await TagPayrollAsync(_vault.BaseAddress.ToString());

        var shown = DialogCard(await SubmitAsync(await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber"), ("method", "vault"), ("certificateSubject", "payroll"), ("keySize", "1024"), ("validity", "24")));

        Assert.Contains("24 months is longer than policy Default app registrations allows", AllText(shown), StringComparison.Ordinal);
        Assert.Contains("1024 is not offered", AllText(shown), StringComparison.Ordinal);
        Assert.Contains("must be a distinguished name starting with CN=", AllText(shown), StringComparison.Ordinal);
        Assert.Empty(_vault.IssuedVersions(VaultCertificate));
        Assert.Single(Certificates());
    }

    [Fact]
    public async Task WhenTheVaultRefuses_NothingIsAdded_AndTheFailureIsAudited()
    {
        await TagPayrollAsync(_vault.BaseAddress.ToString());
        _vault.FailWith = System.Net.HttpStatusCode.Forbidden;

        var shown = DialogCard(await SubmitAsync(await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber"), ("method", "vault"), ("certificateSubject", "CN=payroll"), ("keySize", "2048"), ("validity", "12")));

        Assert.Contains("Key Vault Certificates Officer", AllText(shown), StringComparison.Ordinal);
        Assert.Single(Certificates());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateCertificate", Outcome: "Failed" });
    }

    [Fact]
    public async Task SomeoneWhoMayNotRotate_IsOfferedElevation_AndASubmitIsRefused()
    {
        var certificate = Certificates().Single().KeyId;
        var button = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "rotate-certificate", ["app"] = Payroll, ["subject"] = certificate };
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = button }, DemoTenant.Adele, "Adele Vance");
        Assert.Contains("Request elevation", AllText(DialogCard(opened)), StringComparison.Ordinal);

        var submit = new JsonObject { ["dialog"] = "rotate-certificate", ["app"] = Payroll, ["method"] = "upload", ["certificate"] = Pem(NewCertificate()), ["replace"] = certificate, ["grace"] = "0" };
        var (_, answer) = await _bot.InvokeAsync("task/submit", new JsonObject { ["data"] = submit }, DemoTenant.Adele, "Adele Vance");

        Assert.Contains("Nothing was changed", AllText(DialogCard(answer)), StringComparison.Ordinal);
        Assert.Single(Certificates());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateCertificate", Outcome: "Refused", ActorObjectId: DemoTenant.Adele });
    }

    [Fact]
    public async Task ASecretSwappedInAsTheCertificateToReplace_IsRefused()
    {
        var secret = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single().KeyId;
        var form = await OpenFromStatusCardAsync(BotHost.Alex, "Alex Wilber");

        var shown = DialogCard(await SubmitAsync(form, ("certificate", Pem(NewCertificate())), ("replace", secret)));

        Assert.Contains("is not one of Payroll API's certificates", AllText(shown), StringComparison.Ordinal);
        Assert.Single(Certificates());
        Assert.Single(_bot.Tenant.Find(Payroll)!.PasswordCredentials);
    }

    [Fact]
    public async Task TheRotateDialogOpenedOnACertificate_OffersToRotateItHere()
    {
        var certificate = Certificates().Single().KeyId;
        var button = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "rotate", ["app"] = Payroll, ["subject"] = certificate };
        var (_, explained) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = button }, BotHost.Alex, "Alex Wilber");

        var (_, opened) = await _bot.InvokeAsync("task/submit", new JsonObject { ["data"] = ButtonData(DialogCard(explained), "Rotate this certificate") }, BotHost.Alex, "Alex Wilber");

        Assert.Equal(certificate, InputValue(DialogCard(opened), "replace"));
    }

    private List<SimCredential> Certificates() => [.. _bot.Tenant.Find(Payroll)!.KeyCredentials];

    private async Task TagPayrollAsync(string vault)
    {
        _bot.Tenant.Modify(Payroll, app => app.Tags.Add(KeyVaultDelivery.TagPrefix + vault));
        await _bot.ScanAndSeedAsync();
    }

    private async Task<JsonElement> OpenFromStatusCardAsync(string userObjectId, string userName)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync($"status {PayrollName}", userObjectId, userName);
        var status = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        var (_, answer) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(status, "Rotate certificate") }, userObjectId, userName);
        return DialogCard(answer);
    }

    private async Task<JsonElement> SubmitAsync(JsonElement form, params (string Id, string Value)[] inputs)
    {
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Rotate the certificate", inputs), BotHost.Alex, "Alex Wilber");
        return answer;
    }

    private X509Certificate2 NewCertificate(int days = 90, int keySize = 2048, double startsInDays = -1)
    {
        using var rsa = RSA.Create(keySize);
        var request = new CertificateRequest($"CN=payroll-{Guid.NewGuid():N}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var start = _bot.Time.GetUtcNow().AddDays(startsInDays);
        using var withKey = request.CreateSelfSigned(start, start.AddDays(days));
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }

    private static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    private string Upload(string kind, DateTimeOffset now)
    {
        switch (kind)
        {
            case "private-key":
                using (var rsa = RSA.Create(2048))
                {
                    var request = new CertificateRequest("CN=leaked", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    using var withKey = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
                    return withKey.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem();
                }

            case "pfx":
                using (var rsa = RSA.Create(2048))
                {
                    var request = new CertificateRequest("CN=leaked", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    using var withKey = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
                    return Convert.ToBase64String(withKey.Export(X509ContentType.Pfx, "pw"));
                }

            case "expired":
                return Pem(NewCertificate(days: 30, startsInDays: -60));
            case "not-yet-valid":
                return Pem(NewCertificate(days: 30, startsInDays: 2));
            case "too-long":
                return Pem(NewCertificate(days: 400));
            case "rsa-1024":
                return Pem(NewCertificate(keySize: 1024));
            case "too-big":
                return Pem(NewCertificate()) + new string('A', 20 * 1024);
            case "garbage":
                return "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----";
            default:
                return string.Empty;
        }
    }

    private sealed class StaticTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
