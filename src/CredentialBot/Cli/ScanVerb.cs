using CredentialBot.Hosting;
using CredentialBot.Scanning;
using CredentialBot.Store;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Cli;

/// <summary>
/// <c>scan [--Setting=value …]</c>: one scan with the bot's own configuration and store, for schedulers and scripts.
/// It plans notices into the outbox; the running bot sends them. Exit codes: 0 scanned, 1 the tenant could not be
/// read, 2 the configuration is invalid.
/// </summary>
public static class ScanVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCredentialBot();
        await using var app = builder.Build();
        try
        {
            if (app.Services.GetService<EmbeddedSimulator>() is { } simulator)
            {
                await simulator.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var scope = app.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            await StoreDatabase.MigrateAsync(services.GetRequiredService<CredentialBotDbContext>(), cancellationToken).ConfigureAwait(false);
            await services.GetRequiredService<PolicyStore>().EnsureDefaultsAsync(cancellationToken).ConfigureAwait(false);
            var result = await services.GetRequiredService<ScanJob>().RunOnceAsync(cancellationToken).ConfigureAwait(false);
            await services.GetRequiredService<CredentialBot.Admin.ComplianceReport>().SnapshotAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"Scanned {result.Applications} applications and {result.ServicePrincipals} service principals in {result.Duration.TotalSeconds:F1} s; " +
                $"{result.NoticesPlanned} new notices are in the outbox for the bot to send.").ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await output.WriteLineAsync($"Configuration is invalid: {string.Join(" ", ex.Failures)}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is ODataError or HttpRequestException)
        {
            await output.WriteLineAsync($"Could not read the tenant: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
