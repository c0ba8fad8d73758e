using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>With no configuration at all, the bot starts on its embedded Simulator and reports ready.</summary>
public sealed class StartingInLocalMode : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-local-" + Guid.NewGuid().ToString("N"));

    public StartingInLocalMode() => System.IO.Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TheHostStarts_ScansTheDemoTenant_AndIsReady()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.UseSetting("Store:ConnectionString", $"Data Source={Path.Combine(_directory, "bot.db")}"));
        using var client = factory.CreateClient();

        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }
}
