using CredentialBot.Domain;
using CredentialBot.Store;

namespace CredentialBot.Scanning;

/// <summary>The outcome of one scan.</summary>
public sealed record ScanResult(int Applications, int ServicePrincipals, int NoticesPlanned, DateTimeOffset StartedAt, TimeSpan Duration);

/// <summary>
/// One full pass over the tenant: Apps stream from the directory a batch at a time into the store snapshot,
/// so memory stays flat whatever the tenant size; Apps not seen in this pass are marked deleted. Then the
/// notices the new snapshot calls for go to the outbox, and the dispatcher is woken to send them.
/// </summary>
public sealed partial class ScanJob(ITenantDirectory directory, AppCatalog catalog, CredentialBot.Notifications.NotificationPlanning planning, CredentialBot.Notifications.DispatchSignal dispatch, TimeProvider time, Microsoft.Extensions.Options.IOptions<ScannerOptions> options, ILogger<ScanJob> logger)
{
    public async Task<ScanResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var timestamp = time.GetTimestamp();
        LogScanStarted(logger);

        var applications = await UpsertAllAsync(directory.GetApplicationsAsync(cancellationToken), AppKind.Application, started, cancellationToken).ConfigureAwait(false);
        var servicePrincipals = await UpsertAllAsync(directory.GetServicePrincipalsAsync(cancellationToken), AppKind.ServicePrincipal, started, cancellationToken).ConfigureAwait(false);

        var planned = await planning.PlanAsync(cancellationToken).ConfigureAwait(false);
        if (planned > 0)
        {
            dispatch.Wake();
        }

        var result = new ScanResult(applications, servicePrincipals, planned, started, time.GetElapsedTime(timestamp));
        LogScanFinished(logger, applications, servicePrincipals, result.Duration.TotalMilliseconds);
        return result;
    }

    private async Task<int> UpsertAllAsync(IAsyncEnumerable<App> apps, AppKind kind, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var batch in apps.Chunk(options.Value.BatchSize).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await catalog.UpsertSnapshotAsync(batch, started, cancellationToken).ConfigureAwait(false);
            count += batch.Length;
        }

        // Only after the whole listing succeeded: a failed scan must never mark live Apps as deleted.
        await catalog.MarkMissingAsDeletedAsync(kind, started, cancellationToken).ConfigureAwait(false);
        return count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan started")]
    private static partial void LogScanStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan finished: {Applications} applications, {ServicePrincipals} service principals in {ElapsedMs:F0} ms")]
    private static partial void LogScanFinished(ILogger logger, int applications, int servicePrincipals, double elapsedMs);
}
