using CredentialBot.Cli;
using CredentialBot.Simulator;
using CredentialBot.Store;
using CredentialBot.Store.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// verify-audit against the running bot's store, key file and checkpoint file, as an operator runs it: a cut trail,
/// a missing checkpoint file and a wrong key each get their exit code and a sentence naming the damage.
/// </summary>
public sealed class VerifyingTheAuditTrail : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    private string Store => $"--Store:ConnectionString=Data Source={_bot.DatabasePath}";

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        for (var i = 0; i < 5; i++)
        {
            // Each refusal is audited: five events.
            await _bot.SendMessageAsync("audit Payroll API", DemoTenant.Adele, "Adele Vance");
        }

        await _bot.Services.GetRequiredService<AuditCheckpointer>().WriteAsync("test", default);
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AnUntouchedTrail_IsIntact()
    {
        using var output = new StringWriter();

        Assert.Equal(0, await VerifyAuditVerb.RunAsync([Store], output));
        Assert.Contains("The audit trail is intact", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CuttingTheNewestEvents_IsNamed_WithTheEventsMissing()
    {
        var total = (await _bot.AuditAsync()).Count;
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().AuditEvents.Where(e => e.Sequence > 2).ExecuteDeleteAsync();
        }

        using var output = new StringWriter();

        Assert.Equal(1, await VerifyAuditVerb.RunAsync([Store], output));
        Assert.Contains($"recorded {total} events; the store has 2: events 3–{total} are missing.", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("The audit trail is broken at event 3", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheCheckpointFile_TheTrailIsNeverReportedIntact()
    {
        File.Delete(_bot.DatabasePath + ".audit-checkpoints");
        using var output = new StringWriter();

        Assert.Equal(1, await VerifyAuditVerb.RunAsync([Store], output));
        Assert.Contains("There are no checkpoints", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnotherKey_NothingIsVerified_AndTheSettingIsNamed()
    {
        using var output = new StringWriter();

        Assert.Equal(2, await VerifyAuditVerb.RunAsync([Store, $"--Audit:ChainKey={Convert.ToBase64String(new byte[32])}"], output));
        Assert.Contains("is not the key this trail was written with", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Set Audit:ChainKey or Audit:KeyFile", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAMalformedKey_TheConfigurationIsRefused_WithoutEchoingIt()
    {
        using var output = new StringWriter();

        Assert.Equal(2, await VerifyAuditVerb.RunAsync([Store, "--Audit:ChainKey=c2hvcnQ="], output));
        Assert.Contains("Audit:ChainKey must be base64 of at least 32 random bytes", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ=", output.ToString(), StringComparison.Ordinal);
    }
}
