using System.Net;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CredentialBot.TestKit.KeyVault;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// An App tagged <c>CredentialBot:KeyVault=&lt;vault&gt;</c> gets its rotated secret written to that vault (over HTTPS,
/// with Key Vault's challenge sign-in) and the requester sees only the reference; vaults not allowed are refused.
/// </summary>
public sealed class RotatingIntoKeyVault : IAsyncLifetime
{
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private FakeKeyVault _vault = null!;
    private BotHost _bot = null!;

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
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _vault.DisposeAsync();
    }

    [Fact]
    public async Task TheNewSecret_GoesToTheAppsVault_AndOnlyItsReferenceIsShown()
    {
        await TagPayrollAsync(_vault.BaseAddress.ToString());

        var shown = DialogCard(await RotateAsync());

        var stored = Assert.Single(_vault.Secrets);
        Assert.Equal($"app-{DemoTenant.AppId(1)}", stored.Key);
        var value = stored.Value["value"]!.GetValue<string>();
        var added = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single(c => c.Hint == value[..3] && c.DisplayName!.StartsWith("Rotated", StringComparison.Ordinal));
        Assert.Equal(added.KeyId, stored.Value["tags"]!["keyId"]!.GetValue<string>());
        Assert.Equal("Bearer vault-test-token", Assert.Single(_vault.Authorizations));
        Assert.Contains("went straight to Key Vault", AllText(shown), StringComparison.Ordinal);
        Assert.Contains($"{_vault.BaseAddress}secrets/app-{DemoTenant.AppId(1)}/", AllText(shown), StringComparison.Ordinal);
        Assert.DoesNotContain(value, shown.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(_bot.Logs.Lines, l => l.Contains(value, StringComparison.Ordinal));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Succeeded" } && e.Reason!.Contains("stored in Key Vault", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVaultThatIsNotAllowed_IsRefused_BeforeAnythingIsCreated()
    {
        await TagPayrollAsync("https://attacker.vault.azure.net/");
        var before = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count;

        var shown = DialogCard(await RotateAsync());

        Assert.Contains("which is not in KeyVault:AllowedVaults", AllText(shown), StringComparison.Ordinal);
        Assert.Equal(before, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count);
        Assert.Empty(_vault.Secrets);
    }

    [Fact]
    public async Task WhenTheVaultRefuses_TheSecretIsShownOnceInstead_SoItIsNotLost()
    {
        await TagPayrollAsync(_vault.BaseAddress.ToString());
        _vault.FailWith = HttpStatusCode.Forbidden;

        var shown = DialogCard(await RotateAsync());

        Assert.Contains("did not take the secret (403)", AllText(shown), StringComparison.Ordinal);
        var value = InputValue(shown, "secretValue")!;
        Assert.DoesNotContain(_bot.Logs.Lines, l => l.Contains(value, StringComparison.Ordinal));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Reason!.Contains(value, StringComparison.Ordinal));
    }

    private async Task TagPayrollAsync(string vault)
    {
        _bot.Tenant.Modify(Payroll, app => app.Tags.Add(KeyVaultDelivery.TagPrefix + vault));
        await _bot.ScanAndSeedAsync();
    }

    private async Task<System.Text.Json.JsonElement> RotateAsync()
    {
        var button = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "rotate", ["app"] = Payroll, ["subject"] = _bot.Tenant.Find(Payroll)!.PasswordCredentials[0].KeyId };
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = button }, BotHost.Alex, "Alex Wilber");
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(DialogCard(opened), "Create the new secret", ("lifetime", "90"), ("grace", "7")), BotHost.Alex, "Alex Wilber");
        return answer;
    }

    private sealed class StaticTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
