using CredentialBot.Cli;

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
