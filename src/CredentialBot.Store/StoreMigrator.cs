using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CredentialBot.Store;

/// <summary>
/// Brings the schema up to date before the app serves (never EnsureCreated: migrations are the schema's history), or,
/// with <see cref="StoreOptions.MigrateAtStart"/> off, checks that someone did (<see cref="StoreDatabase.PrepareAsync"/>).
/// </summary>
internal sealed class StoreMigrator(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await StoreDatabase.PrepareAsync(scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
