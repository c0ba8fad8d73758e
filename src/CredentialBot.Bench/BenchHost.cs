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
    private readonly BenchStore _store;
    private readonly bool _ownsStore;

    private BenchHost(WebApplication app, BenchStore store, bool ownsStore)
    {
        App = app;
        _store = store;
        _ownsStore = ownsStore;
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

    /// <summary>
    /// Empties the store and migrates it as at start, keeping this host: a run timed after this one starts from an empty
    /// store in a process that has already run the same work (its queries compiled, its code jitted), as a long-running
    /// host does. Nothing else may use the host meanwhile.
    /// </summary>
    public async Task ResetStoreAsync()
    {
        await _store.ResetAsync();
        await PrepareStoreAsync(App.Services);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_ownsStore)
        {
            await _store.DisposeAsync();
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
        await PrepareStoreAsync(app.Services);
        return new BenchHost(app, store, owned);
    }

    private static async Task PrepareStoreAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await StoreDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>());
        await scope.ServiceProvider.GetRequiredService<PolicyStore>().EnsureDefaultsAsync();
    }
}
