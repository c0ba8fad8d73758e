using CredentialBot.BotFramework.Cards;
using CredentialBot.Scanning;
using CredentialBot.Shared.Messaging;

namespace CredentialBot.Admin.ScanNow;

/// <summary>
/// Redraws a chat scan's card as the scan reports progress, at most one redraw every two seconds (Teams limits edits,
/// and people do not read faster), one after another and in order. Each redraw runs in a scope of its own: the scan
/// writes through its scope's DbContext meanwhile, and a DbContext serves one operation at a time.
/// </summary>
public sealed partial class ScanProgressRedraws(IServiceScopeFactory scopes, PostedCard card, string by, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    : IProgress<ScanProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;
    private DateTimeOffset _lastAt = DateTimeOffset.MinValue;

    /// <summary>How many redraws were sent (and answered); for tests and logs.</summary>
    public int Redrawn { get; private set; }

    public void Report(ScanProgress value)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _lastAt < Interval)
            {
                return;
            }

            _lastAt = now;
            var next = ScanCard.Running(by, value);
            _last = _last.ContinueWith(_ => RedrawAsync(next), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Waits for the redraws under way, so the scan's last card is never overwritten by its progress.</summary>
    public Task DrainAsync()
    {
        lock (_gate)
        {
            return _last;
        }
    }

    private async Task RedrawAsync(AdaptiveCard next)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<Messenger>().UpdateAsync(card, next, cancellationToken))
            {
                Redrawn++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
#pragma warning disable CA1031 // Progress is a courtesy: a redraw that fails must not fail the scan.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRedrawFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A chat scan's progress could not be redrawn")]
    private static partial void LogRedrawFailed(ILogger logger, Exception exception);
}
