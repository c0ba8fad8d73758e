using CredentialBot.Scanning;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;

namespace CredentialBot.Admin.ScanNow;

/// <summary>
/// Runs a scan started from the chat in the background (the message's HTTP request must end quickly) through
/// <see cref="ScanCoordinator"/>, under the same renewed lease as scheduled scans, and redraws its card with progress
/// and the result.
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
        var progress = new ScanProgressRedraws(scopes, card, by, services.GetRequiredService<TimeProvider>(), logger, cancellationToken);
        try
        {
            // The scanner lease, taken, renewed, released and taken over exactly as for the scheduled scan; a scan that
            // loses it stops (ScannerLeaseLostException) and says so on its card.
            var attempt = await services.GetRequiredService<ScanCoordinator>().TryRunAsync($"scan now by {by}", cancellationToken, progress);
            await progress.DrainAsync();
            if (!attempt.Ran)
            {
                await messenger.UpdateAsync(card, NoticeCard.Build("A scan is already running", $"The scanner is held by {CardText.Literal(attempt.RunningElsewhere ?? "another scan", 200)}; its results will be in the next compliance summary."), cancellationToken);
                return;
            }

            await messenger.UpdateAsync(card, ScanCard.Finished(by, attempt.Result!, attempt.Summary!), cancellationToken);
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
            await progress.DrainAsync();
            await messenger.UpdateAsync(card, ScanCard.Failed(by), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A scan started from the chat failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
