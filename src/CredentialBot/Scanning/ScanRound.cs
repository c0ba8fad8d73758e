using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Scanning;

/// <summary>
/// The scheduled scan. Every instance looks every <see cref="LeaseKeeper.PollEvery"/> (or its interval, if shorter)
/// whether a scan is due — none completed yet, or the last one completed (on any instance) at least
/// <c>Scanner:Interval</c> ago — and then tries to scan through <see cref="ScanCoordinator"/>; the one that gets the
/// scanner lease scans. So a leader that dies mid-scan is replaced once its lease expires (within 90 s), and one that
/// dies between scans by whichever instance next finds the scan due. After a failure this instance waits out the
/// backoff in <see cref="ScanHealth"/> before trying again.
/// </summary>
public sealed partial class ScanRound(ScanCoordinator coordinator, LeaseStore leases, ScanHealth health, TimeProvider time, IOptions<ScannerOptions> options, ILogger<ScanRound> logger) : IPeriodicJob
{
    /// <summary>The holder description scheduled scans use.</summary>
    public const string What = "the scheduled scan";

    /// <summary>How often instances look whether a scan is due.</summary>
    public static TimeSpan PollEvery(ScannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Interval < LeaseKeeper.PollEvery ? options.Interval : LeaseKeeper.PollEvery;
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (health.IsBackingOff)
        {
            return;
        }

        var last = await leases.LastCompletedAsync(ScannerLease.Name, cancellationToken);
        if (last is { } completed && time.GetUtcNow() < completed + options.Value.Interval)
        {
            return;
        }

        var attempt = await coordinator.TryRunAsync(What, cancellationToken);
        if (!attempt.Ran)
        {
            LogNotLeader(logger, attempt.RunningElsewhere);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A scan is due but the scanner is held by {Holder}; skipping this tick")]
    private static partial void LogNotLeader(ILogger logger, string? holder);
}
