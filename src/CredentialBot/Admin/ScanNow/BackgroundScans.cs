using CredentialBot.Admin.Compliance;
using CredentialBot.Scanning;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.ScanNow;

/// <summary>
/// Runs a scan started from the chat in the background (the message's HTTP request must end quickly), under the
/// same lease as scheduled scans, and redraws its card with progress and the result.
/// </summary>
public sealed partial class BackgroundScans(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<BackgroundScans> logger)
{
    public void Start(PostedCard card, string by)
    {
        ArgumentNullException.ThrowIfNull(card);
        _ = Task.Run(() => RunAsync(card, by, lifetime.ApplicationStopping));
    }

    private async Task RunAsync(PostedCard card, string by, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var messenger = services.GetRequiredService<Messenger>();
        var holder = "chat:" + Guid.NewGuid().ToString("N");
        var leases = services.GetRequiredService<LeaseStore>();
        try
        {
            // The scanner lease, held for the scan's length without renewal: renewing it through the store while a chat
            // scan wrote on SQLite made both wait out the busy timeout (RedrawingScanProgress), which the held lease of
            // the scheduled scan does not meet. Released at the end; an instance that dies holds it for at most an hour.
            if (!await leases.TryAcquireAsync(ScannerLease.Name, holder, TimeSpan.FromHours(1), cancellationToken))
            {
                var running = await leases.HolderAsync(ScannerLease.Name, cancellationToken);
                await messenger.UpdateAsync(card, NoticeCard.Build("A scan is already running", $"The scanner is held by {CardText.Literal(running ?? "another scan", 200)}; its results will be in the next compliance summary."), cancellationToken);
                return;
            }

            var progress = new ScanProgressRedraws(scopes, card, by, services.GetRequiredService<TimeProvider>(), logger, cancellationToken);
            var result = await services.GetRequiredService<ScanJob>().RunOnceAsync(cancellationToken, progress);
            await progress.DrainAsync();
            var summary = await services.GetRequiredService<ComplianceReport>().SnapshotAsync(cancellationToken);
            await messenger.UpdateAsync(card, ScanCard.Finished(by, result, summary), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping; the scheduled scan runs at the next start.
        }
#pragma warning disable CA1031 // A failed chat scan is reported on its card and logged; it must not crash the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex);
            await messenger.UpdateAsync(card, ScanCard.Failed(by), CancellationToken.None);
        }
        finally
        {
            await leases.ReleaseAsync(ScannerLease.Name, holder, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A scan started from the chat failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
