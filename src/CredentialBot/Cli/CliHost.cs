using CredentialBot.Hosting;
using CredentialBot.Store;
using CredentialBot.Store.Audit;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Cli;

/// <summary>
/// What every CLI verb shares: the bot's own configuration (appsettings, environment, <c>--Setting=value</c>), its
/// store migrated, and the tenant (the embedded Simulator started in local mode). Exit code 2 when the configuration
/// is invalid, naming the settings.
/// </summary>
public static class CliHost
{
    public static Task<int> RunAsync(string[] settings, TextWriter output, Func<IServiceProvider, Task<int>> verb, CancellationToken cancellationToken = default) =>
        RunAsync(settings, output, verb, prepareStore: true, cancellationToken);

    /// <summary>As above; without <paramref name="prepareStore"/> the verb gets the store as it is (the <c>migrate</c> verb).</summary>
    public static async Task<int> RunAsync(string[] settings, TextWriter output, Func<IServiceProvider, Task<int>> verb, bool prepareStore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(verb);
        var builder = WebApplication.CreateBuilder(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCredentialBot();
        try
        {
            await using var app = builder.Build();
            if (app.Services.GetService<EmbeddedSimulator>() is { } simulator)
            {
                await simulator.StartAsync(cancellationToken);
            }

            await using var scope = app.Services.CreateAsyncScope();
            if (prepareStore)
            {
                // Migrates, or with Store:MigrateAtStart=false refuses a schema behind this version, as the bot does.
                await StoreDatabase.PrepareAsync(scope.ServiceProvider, cancellationToken);
                await scope.ServiceProvider.GetRequiredService<PolicyStore>().EnsureDefaultsAsync(cancellationToken);
            }

            var exit = await verb(scope.ServiceProvider);

            // No checkpoint service runs in the CLI: anchor what this verb appended to the audit trail before exiting
            // (a verb on an unprepared store, i.e. migrate, appends nothing).
            if (prepareStore)
            {
                await scope.ServiceProvider.GetRequiredService<AuditCheckpointer>().FlushAsync(cancellationToken);
            }

            return exit;
        }
        catch (OptionsValidationException ex)
        {
            await output.WriteLineAsync($"Configuration is invalid: {string.Join(" ", ex.Failures)}");
            return 2;
        }
        catch (AuditConfigurationException ex)
        {
            await output.WriteLineAsync($"Configuration is invalid: {ex.Message}");
            return 2;
        }
        catch (StoreSchemaBehindException ex)
        {
            await output.WriteLineAsync(ex.Message);
            return 2;
        }
    }

    /// <summary>Splits a verb's own arguments from <c>--Setting=value</c> configuration overrides.</summary>
    public static (List<string> Own, string[] Settings) Split(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var own = new List<string>();
        var settings = new List<string>();
        foreach (var arg in args)
        {
            (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal) && char.IsUpper(arg[2]) ? settings : own).Add(arg);
        }

        return (own, [.. settings]);
    }
}
