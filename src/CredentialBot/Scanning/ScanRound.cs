using CredentialBot.Admin.Compliance;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Scanning;

/// <summary>
/// The scheduled scan: when this host holds the scanner lease, one <see cref="ScanJob"/> and then the compliance
/// snapshot the next summary compares against.
/// </summary>
public sealed partial class ScanRound(LeaseStore leases, ScannerLease lease, ScanJob scan, ComplianceReport compliance, IOptions<ScannerOptions> options, ILogger<ScanRound> logger) : IPeriodicJob
{
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // The lease outlives one interval a little, so a crashed leader is replaced on the next tick.
        if (!await leases.TryAcquireAsync(ScannerLease.Name, lease.Holder, options.Value.Interval + TimeSpan.FromMinutes(5), cancellationToken))
        {
            LogNotLeader(logger);
            return;
        }

        await scan.RunOnceAsync(cancellationToken);
        await compliance.SnapshotAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Another instance holds the scanner lease; skipping this tick")]
    private static partial void LogNotLeader(ILogger logger);
}
