using CredentialBot.Cli;
using CredentialBot.Scanning;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>The <c>scan</c> CLI verb runs one scan with the bot's configuration and reports it.</summary>
public sealed class ScanVerbTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-scan-verb-" + Guid.NewGuid().ToString("N"));

    public ScanVerbTests() => System.IO.Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task InLocalMode_ItScansTheDemoTenant_AndPlansNotices()
    {
        using var output = new StringWriter();

        var exit = await ScanVerb.RunAsync([$"--Store:ConnectionString=Data Source={Path.Combine(_directory, "bot.db")}"], output);

        Assert.Equal(0, exit);
        Assert.Contains("Scanned 20 applications and 5 service principals", output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"[1-9]\d* new notices", output.ToString());
    }

    [Fact]
    public async Task WhileTheBotIsScanning_ItRefusesToCollide_SayingWhoHoldsTheScanner()
    {
        var store = $"--Store:ConnectionString=Data Source={Path.Combine(_directory, "bot.db")}";
        var holder = "scan now by Megan Bowen on bot-1, process 42, run 0123abcd";
        // A running bot's scan holds the scanner lease (it renews it every 20 s while scanning).
        Assert.Equal(0, await CliHost.RunAsync([store], TextWriter.Null, async services =>
            await services.GetRequiredService<LeaseStore>().TryAcquireAsync(ScannerLease.Name, holder, TimeSpan.FromMinutes(1)) ? 0 : 1));
        using var output = new StringWriter();

        var exit = await ScanVerb.RunAsync([store], output);

        Assert.Equal(3, exit);
        Assert.Contains($"a scan is already running ({holder})", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await CliHost.RunAsync([store], TextWriter.Null, async services =>
            await services.GetRequiredService<LeaseStore>().LastCompletedAsync(ScannerLease.Name) is null ? 0 : 1));
    }

    [Fact]
    public async Task AHalfConfiguredGraph_ExitsWith2_NamingTheSetting()
    {
        using var output = new StringWriter();

        var exit = await ScanVerb.RunAsync(
        [
            $"--Store:ConnectionString=Data Source={Path.Combine(_directory, "bot.db")}",
            "--Graph:BaseUrl=https://graph.microsoft.com/v1.0",
            "--Graph:TenantId=contoso",
        ], output);

        Assert.Equal(2, exit);
        Assert.Contains("Graph:ClientId", output.ToString(), StringComparison.Ordinal);
    }
}
