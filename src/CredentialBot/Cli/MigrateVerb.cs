using System.Data.Common;
using CredentialBot.Store;
using CredentialBot.Store.Services;

namespace CredentialBot.Cli;

/// <summary>
/// <c>migrate [--Setting=value …]</c>: brings the configured store's schema up to date and seeds the default policies,
/// for deployments that migrate in a step of their own (with <c>Store:MigrateAtStart=false</c> on the instances).
/// Safe beside running instances and other migrators: PostgreSQL migrations run under an advisory lock. Exit codes:
/// 0 the store is current, 1 migrating failed (the database's error is printed), 2 bad arguments or configuration.
/// </summary>
public static class MigrateVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (own, settings) = CliHost.Split(args);
        if (own.Count > 0)
        {
            await output.WriteLineAsync($"Unknown argument '{own[0]}'. Usage: migrate [--Store:Provider=Postgres --Store:ConnectionString=…]");
            return 2;
        }

        return await CliHost.RunAsync(settings, output, async services =>
        {
            try
            {
                var applied = await StoreDatabase.MigrateAsync(services.GetRequiredService<CredentialBotDbContext>(), cancellationToken);
                await services.GetRequiredService<PolicyStore>().EnsureDefaultsAsync(cancellationToken);
                await output.WriteLineAsync(applied.Count == 0
                    ? "The store is up to date; no migrations were pending."
                    : $"Applied {applied.Count} migrations: {string.Join(", ", applied)}.");
                return 0;
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
            {
                await output.WriteLineAsync($"Migrating the store failed: {ex.Message}");
                return 1;
            }
        }, prepareStore: false, cancellationToken);
    }
}
