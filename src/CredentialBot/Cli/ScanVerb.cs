using CredentialBot.Admin.Compliance;
using CredentialBot.Scanning;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Cli;

/// <summary>
/// <c>scan [--Setting=value …]</c>: one scan with the bot's own configuration and store, for schedulers and scripts.
/// It plans notices into the outbox; the running bot sends them. Exit codes: 0 scanned, 1 the tenant could not be
/// read, 2 the configuration is invalid.
/// </summary>
public static class ScanVerb
{
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default) =>
        CliHost.RunAsync(args, output, async services =>
        {
            try
            {
                var result = await CliProgress.RunAsync(output, "Scanning…", status => services.GetRequiredService<ScanJob>().RunOnceAsync(
                    cancellationToken,
                    new Progress<ScanProgress>(p => status($"Scanning {(p.Collection == Domain.AppKind.Application ? "app registrations" : "enterprise applications")}: {p.AppsStored} stored"))));
                await services.GetRequiredService<ComplianceReport>().SnapshotAsync(cancellationToken);
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
