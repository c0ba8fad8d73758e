using CredentialBot.Store;
using Microsoft.Extensions.Options;

namespace CredentialBot.Scanning;

/// <summary>
/// A thin loop around <see cref="ScanJob"/>: scans at start and then every <see cref="ScannerOptions.Interval"/>.
/// A lease row makes one instance the scanner when several run against the same store.
/// </summary>
public sealed partial class ScanService(IServiceScopeFactory scopes, IOptions<ScannerOptions> options, TimeProvider time, ILogger<ScanService> logger) : BackgroundService
{
    private const string LeaseName = "scanner";
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        if (options.Value.ScanAtStart)
        {
            await RunOnceIfLeaderAsync(stoppingToken).ConfigureAwait(false);
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await RunOnceIfLeaderAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunOnceIfLeaderAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var leases = scope.ServiceProvider.GetRequiredService<LeaseStore>();
            // The lease outlives one interval a little, so a crashed leader is replaced on the next tick.
            if (!await leases.TryAcquireAsync(LeaseName, _holder, options.Value.Interval + TimeSpan.FromMinutes(5), stoppingToken).ConfigureAwait(false))
            {
                LogNotLeader(logger);
                return;
            }

            await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(stoppingToken).ConfigureAwait(false);
            await scope.ServiceProvider.GetRequiredService<CredentialBot.Admin.ComplianceReport>().SnapshotAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed scan is logged and retried on the next tick; it must not stop the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogScanFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Another instance holds the scanner lease; skipping this tick")]
    private static partial void LogNotLeader(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scan failed; retrying at the next interval")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
