using System.Text.Json;
using CredentialBot.Notifications;
using CredentialBot.Scanning;
using CredentialBot.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// A scan of the demo tenant tells each accountable person once, in one digest card in their personal chat;
/// a second scan tells nobody again; someone who installs later gets what waited for them.
/// </summary>
public sealed class ExpiryDigests : IAsyncLifetime
{
    private readonly BotHost _bot = new();

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.ScanAndSeedAsync();
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AScan_SendsAlexOneDigest_WithTheCredentialsHeIsAccountableFor()
    {
        await _bot.InstallAsync();
        await ScanAsync();
        await DispatchAsync();

        var calls = await _bot.Connector.WaitForCallsAsync(2);
        Assert.All(calls, c => Assert.Equal($"a:personal-{BotHost.Alex}", c.ConversationId));
        var digest = CardText(Assert.Single(calls[1].Cards));
        Assert.Contains("need you", digest, StringComparison.Ordinal);
        foreach (var app in new[] { "Payroll API", "HR Portal", "Build Pipeline", "Payroll API (Staging)" })
        {
            Assert.Contains(app, digest, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Contoso Expenses", digest, StringComparison.Ordinal);
        Assert.True(digest.IndexOf("Build Pipeline", StringComparison.Ordinal) < digest.IndexOf("Payroll API (Staging)", StringComparison.Ordinal), "1 day left comes before 29");
    }

    [Fact]
    public async Task ASecondScan_SendsNothingNew()
    {
        await _bot.InstallAsync();
        await ScanAsync();
        await DispatchAsync();
        await _bot.Connector.WaitForCallsAsync(2);

        await ScanAsync();
        var sent = await DispatchAsync();

        Assert.Equal(0, sent);
        Assert.Equal(2, _bot.Connector.Calls.Count);
    }

    [Fact]
    public async Task SomeoneWhoInstallsLater_GetsTheDigestThatWaitedForThem()
    {
        await ScanAsync();
        Assert.Equal(0, await DispatchAsync());

        await _bot.InstallAsync(DemoTenant.Patti, "Patti Fernandez");
        await DispatchAsync();

        var calls = await _bot.Connector.WaitForCallsAsync(2);
        var digest = CardText(Assert.Single(calls[1].Cards));
        Assert.Contains("Contoso Expenses", digest, StringComparison.Ordinal);
        Assert.Contains("business owner", digest, StringComparison.Ordinal);
    }

    private async Task ScanAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None);
    }

    private async Task<int> DispatchAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DigestDispatcher>().RunOnceAsync(CancellationToken.None);
    }

    private static string CardText(JsonElement card) => card.GetRawText();
}
