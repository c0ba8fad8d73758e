using CredentialBot.Hosting;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Bench;

/// <summary>
/// The product's services as the bot wires them, over an empty store (a fresh SQLite file unless a
/// <see cref="BenchStore"/> is given), with nothing in the background (no scheduled scan, no dispatcher), so a
/// benchmark drives each step itself and times only that.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly BenchStore? _ownedStore;

    private BenchHost(WebApplication app, BenchStore? ownedStore)
    {
        App = app;
        _ownedStore = ownedStore;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<BenchHost> StartAsync(Uri graphBaseAddress, params string[] settings)
    {
        var store = await BenchStore.CreateAsync(postgresServer: null);
        return await StartAsync(graphBaseAddress, store, owned: true, settings);
    }

    /// <summary>A host over <paramref name="store"/>, which the caller keeps and disposes.</summary>
    public static Task<BenchHost> StartAsync(Uri graphBaseAddress, BenchStore store, params string[] settings) =>
        StartAsync(graphBaseAddress, store, owned: false, settings);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_ownedStore is not null)
        {
            await _ownedStore.DisposeAsync();
        }
    }

    private static async Task<BenchHost> StartAsync(Uri graphBaseAddress, BenchStore store, bool owned, string[] settings)
    {
        var builder = WebApplication.CreateBuilder([
            $"--Graph:BaseUrl={graphBaseAddress}",
            "--Graph:UseSimulator=true",
            .. store.Settings,
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

        return new BenchHost(app, owned ? store : null);
    }
}
