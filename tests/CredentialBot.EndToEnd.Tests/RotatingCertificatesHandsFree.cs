using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Certificates;
using CredentialBot.Domain;
using CredentialBot.Rotation.Automatic;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Simulator;
using CredentialBot.TestKit.KeyVault;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Hands-free rotation of Key Vault-made certificates through the real host, the Simulator's keyCredentials and a Key
/// Vault over HTTPS: an App whose policy opts in has its expiring certificate — one its allowed vault made — renewed
/// there by the janitor (a new version whose private key stays in the vault) and the new public key added to the App,
/// once, whatever runs twice or stops half-way; its owners hear the thumbprint; the old certificate's removal waits for
/// the new one's first use, and the owners hear when it does not come. A certificate the vault did not make, or an App
/// without an allowed vault, is refused, audited and told once.
/// </summary>
public sealed class RotatingCertificatesHandsFree : IAsyncLifetime
{
    private const string PolicyName = "Hands-free";
    private const string Tag = "HandsFree";
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private static readonly string PayrollAppId = DemoTenant.AppId(1);
    private static readonly string VaultCertificate = $"app-{DemoTenant.AppId(1)}-cert";
    private readonly BotHost _bot = new();
    private readonly FakeTimeProvider _vaultClock;
    private FakeKeyVault _vault = null!;
    private string _oldKey = null!;

    public RotatingCertificatesHandsFree() =>
        // The vault issued Payroll API's certificate a month before it expires, a little under a week from the bot's now.
        _vaultClock = new FakeTimeProvider(_bot.Time.GetUtcNow().AddMonths(-1).AddDays(5));

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVault.StartAsync(_vaultClock);
        _vault.PollsUntilIssued = 1;
        _bot.With("KeyVault:AllowedVaults:0", _vault.BaseAddress.ToString())
            .WithServices(services =>
            {
                services.RemoveAll<CertificateClientOptions>();
                services.AddSingleton(new CertificateClientOptions { Transport = new HttpClientTransport(_vault.TrustingHandler()), Retry = { MaxRetries = 0 }, DisableChallengeResourceVerification = true });
                services.RemoveAll<KeyVaultDeliveryCredential>();
                services.AddSingleton(new KeyVaultDeliveryCredential(new StaticTokenCredential("vault-test-token")));
            });
        await _bot.InitializeAsync();
        await _bot.InstallAsync();

        await using var scope = _bot.Services.CreateAsyncScope();
        var policies = scope.ServiceProvider.GetRequiredService<Store.Services.PolicyStore>();
        await policies.SaveAsync(Policy.Default with { Name = PolicyName, AutomaticRotation = new AutomaticRotation(7, 2) });
        await policies.AssignAsync(PolicyName, Store.Entities.AssignmentTarget.Tag, Tag);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _vault.DisposeAsync();
    }

    [Fact]
    public async Task AKeyVaultMadeCertificate_IsRenewedInItsVault_OnlyItsPublicKeyReachesTheApp_AndTheOwnersHearItsThumbprint()
    {
        var old = await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        var before = _bot.Connector.Calls.Count;

        await _bot.RunJanitorAsync();

        var versions = _vault.IssuedVersions(VaultCertificate);
        Assert.Equal(2, versions.Count);
        var issued = versions[^1];
        Assert.False(issued.Exportable);
        Assert.Equal((old.Subject, old.KeySize), (issued.Subject, issued.KeySize));
        var added = Assert.Single(AutomaticCertificates());
        Assert.Equal(Convert.ToBase64String(issued.Cer), added.Key);
        Assert.Equal(added.DisplayName, issued.Tags!["CredentialBotRotation"]);
        Assert.Contains(_oldKey, Certificates().Select(c => c.KeyId));

        var rotated = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "AutoRotateCertificate");
        Assert.Equal(("CredentialBot", "Succeeded"), (rotated.ActorObjectId, rotated.Outcome));
        Assert.StartsWith($"Policy {PolicyName}: new certificate {added.KeyId} (thumbprint {issued.Thumbprint}", rotated.Reason, StringComparison.Ordinal);

        var told = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0);
        Assert.Equal(BotHost.PersonalConversation(BotHost.Alex), told.ConversationId);
        var text = AllText(told.Cards[0]);
        Assert.Contains("Rotated automatically: Payroll API", text, StringComparison.Ordinal);
        Assert.Contains(issued.Thumbprint, text, StringComparison.Ordinal);
        Assert.Contains($"{_vault.BaseAddress}certificates/{VaultCertificate}", text, StringComparison.Ordinal);

        // The private key is in the vault and in nothing the vault sent, the bot sent to Teams or Graph, or logged.
        var privateKey = Convert.ToBase64String(_vault.PrivateKeyOf(VaultCertificate)!)[..64];
        Assert.DoesNotContain(_vault.ResponseBodies, b => b.Contains(privateKey, StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.Connector.Calls, c => c.Body.GetRawText().Contains(privateKey, StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.Logs.Lines, l => l.Contains(privateKey, StringComparison.Ordinal));
        Assert.DoesNotContain(Certificates(), c => c.Key?.Contains(privateKey, StringComparison.Ordinal) == true);

        // The owner's digest about the expiring old certificate says what the bot did: the new one's thumbprint and expiry.
        before = _bot.Connector.Calls.Count;
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            await _bot.Time.RunAsync(() => scope.ServiceProvider.GetRequiredService<Digests.DigestDispatcher>().RunOnceAsync(CancellationToken.None));
        }

        var digest = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0 && AllText(c.Cards[0]).Contains("need you", StringComparison.Ordinal));
        Assert.Contains($"was replaced by certificate {added.KeyId} (thumbprint {issued.Thumbprint}, valid until {issued.NotAfter.UtcDateTime:yyyy-MM-dd})", AllText(digest.Cards[0]), StringComparison.Ordinal);

        // Later rounds renew nothing more and tell nobody again.
        before = _bot.Connector.Calls.Count;
        _bot.Time.Advance(TimeSpan.FromHours(1));
        await _bot.RunJanitorAsync();
        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Single(AutomaticCertificates());
        Assert.Single(await _bot.AuditAsync(), e => e.Operation == "AutoRotateCertificate");
        Assert.DoesNotContain(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0);
    }

    [Fact]
    public async Task WithoutAVault_TheCertificateIsRefused_AuditedAndToldOnce_AndNoVaultIsAsked()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        var requests = _vault.Requests.Count;
        await TagPayrollAsync(Tag);
        var before = _bot.Connector.Calls.Count;

        await _bot.RunJanitorAsync();
        _bot.Time.Advance(TimeSpan.FromHours(2));
        await _bot.RunJanitorAsync();

        Assert.Empty(AutomaticCertificates());
        Assert.Equal(requests, _vault.Requests.Count);
        var refused = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "AutoRotationRefused");
        Assert.Equal(("CredentialBot", "Refused"), (refused.ActorObjectId, refused.Outcome));
        Assert.StartsWith($"Policy {PolicyName}: CN=payroll-api ({_oldKey}) not rotated: Payroll API has no Key Vault to make the new certificate in", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("Not rotated automatically: Payroll API", AllText(Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0).Cards[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateTheVaultDidNotMake_IsLeftToPeople_AuditedAndToldOnce_AndTheVaultMakesNothing()
    {
        // The vault made a certificate for the App once, but the one on the App now was uploaded by a person.
        await GiveTheAppAVaultMadeCertificateAsync();
        using var uploaded = UploadedCertificate(_bot.Time.GetUtcNow().AddDays(4));
        _bot.Tenant.Modify(Payroll, app =>
        {
            app.KeyCredentials.Clear();
            app.KeyCredentials.Add(new SimCredential(_oldKey, "CN=uploaded", uploaded.NotBefore.ToUniversalTime(), uploaded.NotAfter.ToUniversalTime(), CustomKeyIdentifier: uploaded.Thumbprint, Key: Convert.ToBase64String(uploaded.RawData)));
        });
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        var before = _bot.Connector.Calls.Count;

        await _bot.RunJanitorAsync();
        _bot.Time.Advance(TimeSpan.FromHours(2));
        await _bot.RunJanitorAsync();
        await _bot.RunJanitorAsync();

        Assert.Single(_vault.IssuedVersions(VaultCertificate));
        Assert.Empty(AutomaticCertificates());
        var refused = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "AutoRotationRefused");
        Assert.Equal(("CredentialBot", "Refused"), (refused.ActorObjectId, refused.Outcome));
        Assert.Contains($"CN=uploaded ({_oldKey}) was not made by Key Vault {_vault.BaseAddress.Host}", refused.Reason, StringComparison.Ordinal);
        var told = AllText(Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0).Cards[0]);
        Assert.Contains("Rotate this certificate yourself", told, StringComparison.Ordinal);
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "AutoRotateCertificate");
    }

    [Fact]
    public async Task ACertificateWhenTheVaultHasNoneForTheApp_IsLeftToPeople()
    {
        var old = Certificates().Single();
        _oldKey = old.KeyId;
        _bot.Tenant.Modify(Payroll, app =>
        {
            app.PasswordCredentials.Clear();
            app.KeyCredentials[0] = old with { EndDateTime = _bot.Time.GetUtcNow().AddDays(4) };
        });
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);

        await _bot.RunJanitorAsync();

        Assert.Empty(_vault.IssuedVersions(VaultCertificate));
        Assert.DoesNotContain(_vault.Requests, r => r.StartsWith("POST", StringComparison.Ordinal));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AutoRotationRefused", Outcome: "Refused" } && e.Reason!.Contains($"the vault has no certificate {VaultCertificate}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenTheVaultRefuses_NothingIsAdded_TheFailureIsAudited_AndTheRotationIsRetriedLater()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        _vault.FailWith = System.Net.HttpStatusCode.Forbidden;

        await _bot.RunJanitorAsync();

        Assert.Single(_vault.IssuedVersions(VaultCertificate));
        Assert.Empty(AutomaticCertificates());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Failed", ActorObjectId: "CredentialBot" } && e.Reason!.Contains("did not make the new certificate", StringComparison.Ordinal) && e.Reason.Contains("Key Vault Certificates Officer", StringComparison.Ordinal));

        _vault.FailWith = null;
        await _bot.RunJanitorAsync();
        Assert.Empty(AutomaticCertificates());
        _bot.Time.Advance(TimeSpan.FromHours(1.1));
        await _bot.RunJanitorAsync();
        Assert.Single(AutomaticCertificates());
        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task WhenEntraRefusesTheKeyCredentialsUpdate_TheVaultsNewVersionIsAddedLater_NeverMadeAgain()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        // The bot may change only the apps it owns, and it does not own Payroll API: Graph answers the PATCH with 403.
        _bot.Tenant.GrantedPermissions = new HashSet<string>(StringComparer.Ordinal) { "Application.ReadWrite.OwnedBy", "Application.Read.All", "User.Read.All", "GroupMember.Read.All", "Policy.Read.All", "AuditLog.Read.All", "Reports.Read.All" };

        await _bot.RunJanitorAsync();

        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Empty(AutomaticCertificates());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Failed" } && e.Reason!.Contains("Entra did not take the certificate", StringComparison.Ordinal) && e.Reason.Contains("added at the next attempt, not made again", StringComparison.Ordinal));

        _bot.Tenant.GrantedPermissions = null;
        _bot.Time.Advance(TimeSpan.FromHours(1.1));
        await _bot.RunJanitorAsync();

        var versions = _vault.IssuedVersions(VaultCertificate);
        Assert.Equal(2, versions.Count);
        Assert.Equal(Convert.ToBase64String(versions[^1].Cer), Assert.Single(AutomaticCertificates()).Key);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task AStopAfterTheVaultMadeTheCertificate_BeforeEntraHasIt_IsFinishedWithThatCertificate_NotASecondOne()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        using var crash = new CancellationTokenSource();
        _vault.OnCertificateIssued = _ => crash.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bot.Time.RunAsync(() => RunChoreAsync(crash.Token)));
        _vault.OnCertificateIssued = null;
        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Empty(AutomaticCertificates());
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "AutoRotateCertificate");

        // Another round while the stopped one's claim holds leaves it alone; once the claim lapses the next one adds the
        // version the vault already made.
        await _bot.RunJanitorAsync();
        Assert.Empty(AutomaticCertificates());
        _bot.Time.Advance(TimeSpan.FromMinutes(11));
        await _bot.RunJanitorAsync();

        var versions = _vault.IssuedVersions(VaultCertificate);
        Assert.Equal(2, versions.Count);
        Assert.Equal(Convert.ToBase64String(versions[^1].Cer), Assert.Single(AutomaticCertificates()).Key);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task AStopAfterEntraTookTheCertificate_BeforeItWasRecorded_IsFinishedWithoutAddingItAgain()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        using var crash = new CancellationTokenSource();
        _vault.OnCertificateIssued = _ => crash.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bot.Time.RunAsync(() => RunChoreAsync(crash.Token)));
        _vault.OnCertificateIssued = null;

        // Graph took the PATCH but its answer was lost: the new certificate is on the App under the rotation's marker,
        // and the bot never recorded it.
        var made = _vault.IssuedVersions(VaultCertificate)[^1];
        var halfWay = new SimCredential(Guid.NewGuid().ToString(), made.Tags!["CredentialBotRotation"], made.NotBefore, made.NotAfter, CustomKeyIdentifier: made.Thumbprint, Key: Convert.ToBase64String(made.Cer));
        _bot.Tenant.Modify(Payroll, app => app.KeyCredentials.Add(halfWay));

        _bot.Time.Advance(TimeSpan.FromMinutes(11));
        await _bot.RunJanitorAsync();

        Assert.Equal(halfWay.KeyId, Assert.Single(AutomaticCertificates()).KeyId);
        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Succeeded" } && e.Reason!.Contains(halfWay.KeyId, StringComparison.Ordinal));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Failed" });
    }

    [Fact]
    public async Task TwoChoresAtOnce_RenewTheCertificateOnce()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);

        // Two rounds on two scopes (two DbContexts, as two instances would have) at the same moment.
        await _bot.Time.RunAsync(() => Task.WhenAll(RunChoreAsync(), RunChoreAsync()));

        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Single(AutomaticCertificates());
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task ASecondInstance_WhileTheFirstWaitsForTheVault_LeavesTheRotationAlone()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        var (issuing, release) = StallTheVaultsNextIssue();

        var first = _bot.Time.RunAsync(() => RunChoreAsync());
        await issuing.WaitAsync(TimeSpan.FromMinutes(1));
        _vault.OnCertificateIssued = null;
        await RunChoreAsync();

        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Empty(AutomaticCertificates());
        release.SetResult();
        await first;

        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Single(AutomaticCertificates());
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task AnInstanceThatOutlivesItsClaim_DoesNotUndoTheRotationTheNextOneFinished()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        var (issuing, release) = StallTheVaultsNextIssue();

        // The first instance stalls while the vault issues; past its claim the next one takes over and finishes.
        var first = RunChoreAsync();
        await issuing.WaitAsync(TimeSpan.FromMinutes(1));
        _vault.OnCertificateIssued = null;
        _bot.Time.Advance(TimeSpan.FromMinutes(11));
        await RunChoreAsync();
        var delivered = Assert.Single(AutomaticCertificates());

        // The first one wakes up and finds its certificate already on the app: that failure is its own, not the rotation's.
        release.SetResult();
        await first;

        Assert.Equal(delivered.KeyId, Assert.Single(AutomaticCertificates()).KeyId);
        Assert.Equal(2, _vault.IssuedVersions(VaultCertificate).Count);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Succeeded" });
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateCertificate", Outcome: "Failed" });
        await using var scope = _bot.Services.CreateAsyncScope();
        var row = Assert.Single(await scope.ServiceProvider.GetRequiredService<Store.Services.AutomaticRotationStore>().DeliveredAsync(10));
        Assert.Equal(delivered.KeyId, row.NewKeyId);
    }

    [Fact]
    public async Task TheReceipt_SchedulesTheOldCertificatesRemoval_WhichTheJanitorThenDoes()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        await _bot.RunJanitorAsync();
        var added = Assert.Single(AutomaticCertificates());
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "ScheduleOldSecretRemoval");

        _bot.Tenant.SignIns.Record(PayrollAppId, added.KeyId, _bot.Time.GetUtcNow());
        _bot.Time.Advance(TimeSpan.FromMinutes(16));
        await _bot.RunJanitorAsync();

        var scheduled = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "ScheduleOldSecretRemoval");
        Assert.Equal(("CredentialBot", "Succeeded"), (scheduled.ActorObjectId, scheduled.Outcome));
        Assert.StartsWith($"Policy {PolicyName}: new certificate {added.KeyId} first used at", scheduled.Reason, StringComparison.Ordinal);
        Assert.Contains(_oldKey, Certificates().Select(c => c.KeyId));

        // The policy's grace period (7 days) later the old certificate is removed from the App, the new one kept.
        _bot.Time.Advance(TimeSpan.FromDays(7.1));
        await _bot.RunJanitorAsync();
        Assert.Equal([added.KeyId], Certificates().Select(c => c.KeyId));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Succeeded", ActorObjectId: "CredentialBot" } && e.Reason!.Contains(_oldKey, StringComparison.Ordinal));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "AutoRotationUnused");
    }

    [Fact]
    public async Task WithoutAReceiptWithinTheWindow_TheOwnersAreToldOnce_AndTheOldCertificateIsKept()
    {
        await GiveTheAppAVaultMadeCertificateAsync();
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        await _bot.RunJanitorAsync();
        var added = Assert.Single(AutomaticCertificates());

        _bot.Time.Advance(TimeSpan.FromDays(1.9));
        var before = _bot.Connector.Calls.Count;
        await _bot.RunJanitorAsync();
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "AutoRotationUnused");

        _bot.Time.Advance(TimeSpan.FromDays(0.2));
        await _bot.RunJanitorAsync();
        _bot.Time.Advance(TimeSpan.FromHours(1));
        await _bot.RunJanitorAsync();

        var escalated = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "AutoRotationUnused");
        Assert.Equal(("CredentialBot", "Succeeded"), (escalated.ActorObjectId, escalated.Outcome));
        Assert.StartsWith($"Policy {PolicyName}: new certificate {added.KeyId} not used within 2 days", escalated.Reason, StringComparison.Ordinal);
        var told = AllText(Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0).Cards[0]);
        Assert.Contains("The new certificate is not used: Payroll API", told, StringComparison.Ordinal);
        Assert.Contains(_oldKey, Certificates().Select(c => c.KeyId));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "ScheduleOldSecretRemoval");
    }

    /// <summary>
    /// Payroll API's only credential becomes a certificate its vault made (as a person's "Rotate certificate" would have
    /// left it), about five days from expiry; the vault's clock then catches up with the bot's.
    /// </summary>
    private async Task<IssuedCertificate> GiveTheAppAVaultMadeCertificateAsync()
    {
        var made = await _bot.Services.GetRequiredService<ICertificateVault>().CreateCertificateAsync(_vault.BaseAddress, VaultCertificate, new NewCertificatePolicy("CN=payroll-api", 3072, 1));
        Assert.Null(made.Refusal);
        _vaultClock.SetUtcNow(_bot.Time.GetUtcNow());
        var issued = Assert.Single(_vault.IssuedVersions(VaultCertificate));
        _oldKey = Guid.NewGuid().ToString();
        _bot.Tenant.Modify(Payroll, app =>
        {
            app.PasswordCredentials.Clear();
            app.KeyCredentials.Clear();
            app.KeyCredentials.Add(new SimCredential(_oldKey, "CN=payroll-api", issued.NotBefore, issued.NotAfter, CustomKeyIdentifier: issued.Thumbprint, Key: Convert.ToBase64String(issued.Cer)));
        });
        return issued;
    }

    private X509Certificate2 UploadedCertificate(DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=uploaded", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var start = DateTimeOffset.FromUnixTimeSeconds(_bot.Time.GetUtcNow().AddDays(-30).ToUnixTimeSeconds());
        using var withKey = request.CreateSelfSigned(start, DateTimeOffset.FromUnixTimeSeconds(notAfter.ToUnixTimeSeconds()));
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }

    /// <summary>The hands-free chore alone, in a scope of its own, as another instance's janitor would run it.</summary>
    /// <summary>
    /// Holds the vault's next issue until <c>Release</c> is completed (or a minute passes); <c>Issuing</c> completes when
    /// it began: an instance stalled mid-rotation, as a slow vault or a paused process leaves it.
    /// </summary>
    private (Task Issuing, TaskCompletionSource Release) StallTheVaultsNextIssue()
    {
        var issuing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _vault.OnCertificateIssued = _ =>
        {
            issuing.TrySetResult();
            release.Task.Wait(TimeSpan.FromMinutes(1));
        };
        return (issuing.Task, release);
    }

    private async Task RunChoreAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AutomaticRotations>().RunAsync(_bot.Time.GetUtcNow(), cancellationToken);
    }

    private List<SimCredential> Certificates() => [.. _bot.Tenant.Find(Payroll)!.KeyCredentials];

    private IEnumerable<SimCredential> AutomaticCertificates() =>
        Certificates().Where(c => c.DisplayName?.StartsWith("CredentialBot automatic", StringComparison.Ordinal) == true);

    private async Task TagPayrollAsync(params string[] tags)
    {
        _bot.Tenant.Modify(Payroll, app =>
        {
            app.Tags.Clear();
            foreach (var tag in tags)
            {
                app.Tags.Add(tag);
            }
        });
        await _bot.ScanAndSeedAsync();
    }

    private sealed class StaticTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
