using CredentialBot.Scanning;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Cli;

/// <summary>
/// <c>scan [--Setting=value …]</c>: one scan with the bot's own configuration and store, for schedulers and scripts.
/// It plans notices into the outbox; the running bot sends them. It runs under the scanner lease like every scan, so it
/// never collides with a running bot's scan. Exit codes: 0 scanned, 1 the tenant could not be read, 2 the configuration
/// is invalid, 3 another scan was running (nothing was done).
/// </summary>
public static class ScanVerb
{
    /// <summary>The verb's scans, as other scans see them.</summary>
    public const string What = "the scan command";

    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default) =>
        CliHost.RunAsync(args, output, async services =>
        {
            try
            {
                var attempt = await CliProgress.RunAsync(output, "Scanning…", status => services.GetRequiredService<ScanCoordinator>().TryRunAsync(
                    What,
                    cancellationToken,
                    new Progress<ScanProgress>(p => status($"Scanning {(p.Collection == Domain.AppKind.Application ? "app registrations" : "enterprise applications")}: {p.AppsStored} stored"))));
                if (attempt.Result is not { } result)
                {
                    await output.WriteLineAsync($"Not scanning: a scan is already running ({attempt.RunningElsewhere}). Its results are in the store when it finishes.");
                    return 3;
                }

                await output.WriteLineAsync(
                    $"Scanned {result.Applications} applications and {result.ServicePrincipals} service principals in {result.Duration.TotalSeconds:F1} s; " +
                    $"{result.NoticesPlanned} new notices are in the outbox for the bot to send.");
                return 0;
            }
            catch (Exception ex) when (ex is ODataError or HttpRequestException)
            {
                await output.WriteLineAsync($"Could not read the tenant: {ex.Message}");
                return 1;
            }
        }, cancellationToken);
}
