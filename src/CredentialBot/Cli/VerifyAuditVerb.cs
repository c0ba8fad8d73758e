using CredentialBot.Hosting;
using CredentialBot.Store;
using Microsoft.Extensions.Options;

namespace CredentialBot.Cli;

/// <summary>
/// <c>verify-audit [--Setting=value …]</c>: walks the audit hash chain of the configured store and reports the first
/// broken link. Exit codes: 0 intact, 1 broken (the sequence is printed), 2 the configuration is invalid.
/// </summary>
public static class VerifyAuditVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCredentialBot();
        try
        {
            await using var app = builder.Build();
            await using var scope = app.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            await StoreDatabase.MigrateAsync(services.GetRequiredService<CredentialBotDbContext>(), cancellationToken).ConfigureAwait(false);
            var result = await services.GetRequiredService<AuditLog>().VerifyAsync(cancellationToken).ConfigureAwait(false);
            if (result.Intact)
            {
                await output.WriteLineAsync($"The audit trail is intact: {result.Count} events, every link verified.").ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync($"The audit trail is broken at event {result.FirstBrokenSequence}: that event, or one before it, was edited, inserted or deleted. Events after it cannot be trusted.").ConfigureAwait(false);
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            await output.WriteLineAsync($"Configuration is invalid: {string.Join(" ", ex.Failures)}").ConfigureAwait(false);
            return 2;
        }
    }
}
