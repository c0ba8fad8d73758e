using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using CredentialBot.Domain;
using CredentialBot.Rotation.Automatic;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Simulator;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.KeyVault;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Hands-free rotation through the real host, the Simulator and a Key Vault over HTTPS: an App whose policy (assigned by
/// tag) opts in has its expiring secret rotated by the janitor into its allowed vault, once, whatever runs twice or
/// stops half-way; its owners are told (never the value); the old secret's removal waits for the new one's first use,
/// and the owners hear when it does not come. Without an allowed vault it is refused, audited and told once.
/// </summary>
public sealed class RotatingHandsFree : IAsyncLifetime
{
    private const string PolicyName = "Hands-free";
    private const string Tag = "HandsFree";
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private static readonly string PayrollAppId = DemoTenant.AppId(1);
    private FakeKeyVault _vault = null!;
    private BotHost _bot = null!;
    private string _oldKey = null!;

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVault.StartAsync();
        _bot = new BotHost()
            .With("KeyVault:AllowedVaults:0", _vault.BaseAddress.ToString())
            .WithServices(services =>
            {
                services.RemoveAll<SecretClientOptions>();
                services.AddSingleton(new SecretClientOptions { Transport = new HttpClientTransport(_vault.TrustingHandler()), Retry = { MaxRetries = 0 }, DisableChallengeResourceVerification = true });
                services.RemoveAll<KeyVaultDeliveryCredential>();
                services.AddSingleton(new KeyVaultDeliveryCredential(new StaticTokenCredential("vault-test-token")));
            });
        await _bot.InitializeAsync();
        await _bot.InstallAsync();

        // Payroll API's prod-secret ends in 3.5 days: inside "rotate 7 days before expiry".
        _oldKey = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single().KeyId;
        await using var scope = _bot.Services.CreateAsyncScope();
        var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
        await policies.SaveAsync(Policy.Default with { Name = PolicyName, AutomaticRotation = new AutomaticRotation(7, 2) });
        await policies.AssignAsync(PolicyName, AssignmentTarget.Tag, Tag);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _vault.DisposeAsync();
    }

    [Fact]
    public async Task AnOptedInSecret_IsRotatedIntoTheAppsVault_AndTheOwnersAreToldWithoutTheValue()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        var before = _bot.Connector.Calls.Count;

        await _bot.RunJanitorAsync();

        var added = Assert.Single(AutomaticSecrets());
        var stored = Assert.Single(_vault.Secrets);
        Assert.Equal($"app-{PayrollAppId}", stored.Key);
        Assert.Equal(added.KeyId, stored.Value["tags"]!["keyId"]!.GetValue<string>());
        var value = stored.Value["value"]!.GetValue<string>();
        Assert.StartsWith(added.Hint!, value, StringComparison.Ordinal);
        Assert.Contains(_oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));

        var rotated = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "AutoRotateSecret");
        Assert.Equal(("CredentialBot", "Succeeded"), (rotated.ActorObjectId, rotated.Outcome));
        Assert.StartsWith($"Policy {PolicyName}: new secret {added.KeyId}", rotated.Reason, StringComparison.Ordinal);

        var told = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0);
        Assert.Equal(BotHost.PersonalConversation(BotHost.Alex), told.ConversationId);
        var text = AllText(told.Cards[0]);
        Assert.Contains("Rotated automatically: Payroll API", text, StringComparison.Ordinal);
        Assert.Contains($"{_vault.BaseAddress}secrets/app-{PayrollAppId}/", text, StringComparison.Ordinal);

        // The value is in the vault and nowhere else: not in a card, a log line, the audit trail or the database file.
        Assert.DoesNotContain(value, told.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(_bot.Logs.Lines, l => l.Contains(value, StringComparison.Ordinal));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Reason?.Contains(value, StringComparison.Ordinal) == true);
        Assert.False(DatabaseContains(value));

        // The owner's digest about the expiring old secret says what the bot did, and still never the value.
        before = _bot.Connector.Calls.Count;
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            await _bot.Time.RunAsync(() => scope.ServiceProvider.GetRequiredService<Digests.DigestDispatcher>().RunOnceAsync(CancellationToken.None));
        }

        var digest = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0 && AllText(c.Cards[0]).Contains("need you", StringComparison.Ordinal));
        Assert.Contains($"Rotated automatically on {_bot.Time.GetUtcNow().UtcDateTime:yyyy-MM-dd}", AllText(digest.Cards[0]), StringComparison.Ordinal);
        Assert.Contains($"prod-secret was replaced by secret {added.KeyId}, stored in Key Vault as {_vault.BaseAddress}secrets/app-{PayrollAppId}/", AllText(digest.Cards[0]), StringComparison.Ordinal);
        Assert.DoesNotContain(value, digest.Body.GetRawText(), StringComparison.Ordinal);

        // Later rounds rotate nothing more and tell nobody again.
        before = _bot.Connector.Calls.Count;
        _bot.Time.Advance(TimeSpan.FromHours(1));
        await _bot.RunJanitorAsync();
        Assert.Single(AutomaticSecrets());
        Assert.Single(await _bot.AuditAsync(), e => e.Operation == "AutoRotateSecret");
        Assert.DoesNotContain(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0);
    }

    [Fact]
    public async Task WithoutAVault_TheRotationIsRefused_AuditedAndToldOnce_ThenGoesAheadWhenTheAppGetsOne()
    {
        await TagPayrollAsync(Tag);
        var before = _bot.Connector.Calls.Count;

        await _bot.RunJanitorAsync();
        _bot.Time.Advance(TimeSpan.FromHours(2));
        await _bot.RunJanitorAsync();

        Assert.Empty(AutomaticSecrets());
        Assert.Empty(_vault.Secrets);
        var refused = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "AutoRotationRefused");
        Assert.Equal(("CredentialBot", "Refused"), (refused.ActorObjectId, refused.Outcome));
        Assert.StartsWith($"Policy {PolicyName}: prod-secret ({_oldKey}) not rotated: Payroll API has no Key Vault", refused.Reason, StringComparison.Ordinal);
        var told = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0);
        Assert.Contains("Not rotated automatically: Payroll API", AllText(told.Cards[0]), StringComparison.Ordinal);

        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        await _bot.RunJanitorAsync();
        await _bot.RunJanitorAsync();

        Assert.Single(AutomaticSecrets());
        Assert.Single(_vault.Secrets);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AutoRotationRefused", Outcome: "Succeeded" } && e.Reason!.Contains("goes ahead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVaultThatIsNotAllowed_IsRefused_AndNothingIsCreated()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + "https://attacker.vault.azure.net/");

        await _bot.RunJanitorAsync();

        Assert.Empty(AutomaticSecrets());
        Assert.Empty(_vault.Requests);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AutoRotationRefused", Outcome: "Refused" } && e.Reason!.Contains("which is not in KeyVault:AllowedVaults", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoChoresAtOnce_RotateTheSecretOnce()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);

        // Past the janitor lease: two rounds on two scopes (two DbContexts, as two instances would have) at the same moment.
        await _bot.Time.RunAsync(() => Task.WhenAll(RunChoreAsync(), RunChoreAsync()));

        var added = Assert.Single(AutomaticSecrets());
        Assert.Equal(added.KeyId, Assert.Single(_vault.Secrets).Value["tags"]!["keyId"]!.GetValue<string>());
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateSecret", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task ASecondInstance_WhileTheFirstIsHalfWay_LeavesTheRotationAlone()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        var inVault = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _vault.OnSetSecret = () =>
        {
            inVault.TrySetResult();
            release.Task.Wait(TimeSpan.FromMinutes(1));
        };

        // The first instance has created the new secret and is writing it to the vault when the second one runs.
        var first = _bot.Time.RunAsync(() => RunChoreAsync());
        await inVault.Task.WaitAsync(TimeSpan.FromMinutes(1));
        _vault.OnSetSecret = null;
        var halfWay = Assert.Single(AutomaticSecrets());
        await RunChoreAsync();

        Assert.Equal(halfWay.KeyId, Assert.Single(AutomaticSecrets()).KeyId);
        Assert.Empty(_vault.Secrets);
        release.SetResult();
        await first;

        Assert.Equal(halfWay.KeyId, Assert.Single(AutomaticSecrets()).KeyId);
        Assert.Equal(halfWay.KeyId, Assert.Single(_vault.Secrets).Value["tags"]!["keyId"]!.GetValue<string>());
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateSecret", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task AStopBetweenAddPasswordAndTheVaultWrite_IsUndoneAndRedone_LeavingOneDeliveredSecret()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        using var crash = new CancellationTokenSource();
        _vault.OnSetSecret = crash.Cancel;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _bot.Time.RunAsync(() => RunChoreAsync(crash.Token)));
        _vault.OnSetSecret = null;
        var orphan = Assert.Single(AutomaticSecrets());
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "AutoRotateSecret");

        // Another round while the stopped one's claim holds leaves it alone; once the claim lapses the next one
        // removes the secret whose value nobody has, creates a new one and delivers it.
        await _bot.RunJanitorAsync();
        Assert.Equal(orphan.KeyId, Assert.Single(AutomaticSecrets()).KeyId);
        _bot.Time.Advance(TimeSpan.FromMinutes(11));
        await _bot.RunJanitorAsync();

        var delivered = Assert.Single(AutomaticSecrets());
        Assert.NotEqual(orphan.KeyId, delivered.KeyId);
        Assert.Equal(delivered.KeyId, _vault.Secrets[$"app-{PayrollAppId}"]["tags"]!["keyId"]!.GetValue<string>());
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RemoveUndeliveredSecret", Outcome: "Succeeded", ActorObjectId: "CredentialBot" } && e.Reason!.Contains(orphan.KeyId, StringComparison.Ordinal));
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateSecret", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task WhenTheVaultRefuses_TheNewSecretIsRemovedAgain_AndTheRotationIsRetriedLater()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        _vault.FailWith = HttpStatusCode.Forbidden;

        await _bot.RunJanitorAsync();

        Assert.Empty(AutomaticSecrets());
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateSecret", Outcome: "Failed" } && e.Reason!.Contains("did not take the new secret (403)", StringComparison.Ordinal));

        _vault.FailWith = null;
        await _bot.RunJanitorAsync();
        Assert.Empty(AutomaticSecrets());
        _bot.Time.Advance(TimeSpan.FromHours(1.1));
        await _bot.RunJanitorAsync();
        Assert.Single(AutomaticSecrets());
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateSecret", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task TheReceipt_SchedulesTheOldSecretsRemoval_WhichTheJanitorThenDoes()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        await _bot.RunJanitorAsync();
        var added = Assert.Single(AutomaticSecrets());
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "ScheduleOldSecretRemoval");

        _bot.Tenant.SignIns.Record(PayrollAppId, added.KeyId, _bot.Time.GetUtcNow());
        _bot.Time.Advance(TimeSpan.FromMinutes(16));
        await _bot.RunJanitorAsync();

        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RotationReceipt", ActorObjectId: "CredentialBot" } && e.Reason!.Contains(added.KeyId, StringComparison.Ordinal));
        var scheduled = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "ScheduleOldSecretRemoval");
        Assert.Equal(("CredentialBot", "Succeeded"), (scheduled.ActorObjectId, scheduled.Outcome));
        Assert.StartsWith($"Policy {PolicyName}: new secret {added.KeyId} first used at", scheduled.Reason, StringComparison.Ordinal);
        Assert.Contains(_oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));

        // The policy's grace period (7 days) later the old secret, last used long before, is removed by the janitor.
        _bot.Time.Advance(TimeSpan.FromDays(7.1));
        await _bot.RunJanitorAsync();
        Assert.DoesNotContain(_oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Succeeded", ActorObjectId: "CredentialBot" } && e.Reason!.Contains(_oldKey, StringComparison.Ordinal));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "AutoRotationUnused");
    }

    [Fact]
    public async Task WithoutAReceiptWithinTheWindow_TheOwnersAreToldOnce_AndTheOldSecretIsKept()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        await _bot.RunJanitorAsync();
        var added = Assert.Single(AutomaticSecrets());

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
        Assert.StartsWith($"Policy {PolicyName}: new secret {added.KeyId} not used within 2 days", escalated.Reason, StringComparison.Ordinal);
        var told = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Count > 0);
        Assert.Equal(BotHost.PersonalConversation(BotHost.Alex), told.ConversationId);
        Assert.Contains("The new secret is not used: Payroll API", AllText(told.Cards[0]), StringComparison.Ordinal);
        Assert.Contains(_oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "ScheduleOldSecretRemoval");
    }

    [Fact]
    public async Task AnOldSecretRemovedBeforeTheNewOneIsUsed_IsNotEscalated()
    {
        await TagPayrollAsync(Tag, KeyVaultDelivery.TagPrefix + _vault.BaseAddress);
        await _bot.RunJanitorAsync();
        Assert.Single(AutomaticSecrets());

        // An owner removes the old secret in the portal; the next scan sees it gone.
        _bot.Tenant.Modify(Payroll, app => app.PasswordCredentials.RemoveAll(c => c.KeyId == _oldKey));
        await _bot.ScanAndSeedAsync();
        _bot.Time.Advance(TimeSpan.FromDays(3));
        await _bot.RunJanitorAsync();

        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation is "AutoRotationUnused" or "ScheduleOldSecretRemoval");
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "AutoRotateSecret", Outcome: "AlreadyGone", ActorObjectId: "CredentialBot" } && e.Reason!.Contains("left the app before the new secret was used", StringComparison.Ordinal));
    }

    /// <summary>The hands-free chore alone, in a scope of its own, as another instance's janitor would run it.</summary>
    private async Task RunChoreAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AutomaticRotations>().RunAsync(_bot.Time.GetUtcNow(), cancellationToken);
    }

    private IEnumerable<SimCredential> AutomaticSecrets() =>
        _bot.Tenant.Find(Payroll)!.PasswordCredentials.Where(c => c.DisplayName?.StartsWith("CredentialBot automatic", StringComparison.Ordinal) == true);

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

    private bool DatabaseContains(string value)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var needle = System.Text.Encoding.UTF8.GetBytes(value);
        return System.IO.Directory.GetFiles(Path.GetDirectoryName(_bot.DatabasePath)!, "e2e.db*")
            .Any(f => File.ReadAllBytes(f).AsSpan().IndexOf(needle) >= 0);
    }

    private sealed class StaticTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
