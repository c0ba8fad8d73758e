using CredentialBot.Hosting;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Bench;

/// <summary>
/// The product's services as the bot wires them, over a fresh SQLite file in a scratch folder, with nothing in the
/// background (no scheduled scan, no dispatcher), so a benchmark drives each step itself and times only that.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly string _directory;

    private BenchHost(string directory, WebApplication app)
    {
        _directory = directory;
        App = app;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<BenchHost> StartAsync(Uri graphBaseAddress, params string[] settings)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cb-bench-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var builder = WebApplication.CreateBuilder([
            $"--Graph:BaseUrl={graphBaseAddress}",
            "--Graph:UseSimulator=true",
            $"--Store:ConnectionString=Data Source={Path.Combine(directory, "bench.db")}",
            "--Scanner:Enabled=false",
            "--Notifications:DispatcherEnabled=false",
            .. settings,
        ]);
        builder.Logging.ClearProviders();
        builder.AddCredentialBot();
        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await StoreDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>());
            await scope.ServiceProvider.GetRequiredService<PolicyStore>().EnsureDefaultsAsync();
        }

        return new BenchHost(directory, app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
