using CredentialBot.Admin.Compliance;
using CredentialBot.Store.Services;

namespace CredentialBot.Scanning;

/// <summary>
/// The one way to scan: every path (the schedule and the start-up scan, <c>scan now</c>, the <c>scan</c> verb, local
/// mode's demo setup) runs <see cref="ScanJob"/> and the compliance snapshot (counted by the scan itself when it listed
/// everything) under the scanner lease, held and renewed by <see cref="LeaseKeeper"/>, so two scans never write the
/// snapshot at once on any number of instances. A scan that loses its lease (the database unreachable for longer than
/// the lease) stops, since another instance may take over.
/// The lease is released as completed only after a whole scan, which is what tells every instance when the next
/// scheduled scan is due. Failures are recorded in <see cref="ScanHealth"/> (backoff, readiness) and rethrown.
/// </summary>
public sealed partial class ScanCoordinator(IServiceScopeFactory scopes, LeaseKeeper leases, ScanHealth health, ILogger<ScanCoordinator> logger)
{
    /// <summary>Scans now unless another scan holds the scanner; <paramref name="what"/> names this scan to others (e.g. "scan now by Megan Bowen").</summary>
    public async Task<ScanAttempt> TryRunAsync(string what, CancellationToken cancellationToken, IProgress<ScanProgress>? progress = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var holder = ScannerLease.HolderFor(what);
        var lease = await leases.TryHoldAsync(ScannerLease.Name, holder, cancellationToken);
        if (lease is null)
        {
            var running = await services.GetRequiredService<LeaseStore>().HolderAsync(ScannerLease.Name, cancellationToken);
            LogBusy(logger, what, running);
            return ScanAttempt.Busy(running);
        }

        await using (lease)
        {
            using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            try
            {
                var report = services.GetRequiredService<ComplianceReport>();
                var tally = await report.BeginTallyAsync(work.Token);
                var result = await services.GetRequiredService<ScanJob>().RunOnceAsync(work.Token, progress, tally);
                // A full listing of both collections has judged every App as it wrote it; a delta round saw only changes.
                var summary = result.ListedInFull ? await report.SaveAsync(tally, work.Token) : await report.SnapshotAsync(tally.Tenant, work.Token);
                await lease.CompleteAsync(cancellationToken);
                health.Succeeded();
                return new ScanAttempt(result, summary, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                var retryAt = health.Failed(lease.IsLost ? new ScannerLeaseLostException(ex) : ex);
                LogFailed(logger, ex, what, retryAt);
                if (lease.IsLost)
                {
                    throw new ScannerLeaseLostException(ex);
                }

                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Not starting {What}: the scanner is held by {Holder}")]
    private static partial void LogBusy(ILogger logger, string what, string? holder);

    [LoggerMessage(Level = LogLevel.Error, Message = "{What} failed; the next attempt is due from {RetryAt:u}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what, DateTimeOffset retryAt);
}
