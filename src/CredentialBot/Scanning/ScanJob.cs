using CredentialBot.Domain;
using CredentialBot.Store;

namespace CredentialBot.Scanning;

/// <summary>The outcome of one scan.</summary>
public sealed record ScanResult(int Applications, int ServicePrincipals, int NoticesPlanned, DateTimeOffset StartedAt, TimeSpan Duration);

/// <summary>
/// One full pass over the tenant: Apps stream from the directory a batch at a time into the store snapshot,
/// so memory stays flat whatever the tenant size; each batch and the notices it calls for are written in one
/// transaction. Apps not seen in this pass are marked deleted, and the dispatcher is woken to send what was planned.
/// </summary>
public sealed partial class ScanJob(ITenantDirectory directory, CredentialBotDbContext db, AppCatalog catalog, PolicyStore policies, CredentialBot.Notifications.NotificationPlanning planning, CredentialBot.Notifications.DispatchSignal dispatch, TimeProvider time, Microsoft.Extensions.Options.IOptions<ScannerOptions> options, ILogger<ScanJob> logger)
{
    public async Task<ScanResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var timestamp = time.GetTimestamp();
        LogScanStarted(logger);

        var policyFor = await policies.GetResolverAsync(cancellationToken).ConfigureAwait(false);
        var (applications, plannedForApplications) = await UpsertAllAsync(directory.GetApplicationsAsync(cancellationToken), AppKind.Application, started, policyFor, cancellationToken).ConfigureAwait(false);
        var (servicePrincipals, plannedForServicePrincipals) = await UpsertAllAsync(directory.GetServicePrincipalsAsync(cancellationToken), AppKind.ServicePrincipal, started, policyFor, cancellationToken).ConfigureAwait(false);

        var planned = plannedForApplications + plannedForServicePrincipals;
        if (planned > 0)
        {
            dispatch.Wake();
        }

        var result = new ScanResult(applications, servicePrincipals, planned, started, time.GetElapsedTime(timestamp));
        LogScanFinished(logger, applications, servicePrincipals, result.Duration.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// Reading and writing overlap: one task pages through the directory into a small bounded channel while this one
    /// writes batches, so the scan takes about as long as the slower of the two rather than their sum, and at most
    /// two batches wait in memory.
    /// </summary>
    private async Task<(int Apps, int Planned)> UpsertAllAsync(IAsyncEnumerable<App> apps, AppKind kind, DateTimeOffset started, Func<App, Policy> policyFor, CancellationToken cancellationToken)
    {
        var batches = System.Threading.Channels.Channel.CreateBounded<App[]>(new System.Threading.Channels.BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var batch in apps.Chunk(options.Value.BatchSize).WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        await batches.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
                    }

                    batches.Writer.Complete();
                }
#pragma warning disable CA1031 // Handed to the writer side, which rethrows it.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    batches.Writer.Complete(ex);
                }
            },
            stop.Token);

        var count = 0;
        var planned = 0;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await catalog.UpsertSnapshotAsync(batch, started, cancellationToken).ConfigureAwait(false);
                planned += await planning.PlanBatchAsync(batch, policyFor, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                count += batch.Length;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Only after the whole listing succeeded: a failed scan must never mark live Apps as deleted.
        await catalog.MarkMissingAsDeletedAsync(kind, started, cancellationToken).ConfigureAwait(false);
        return (count, planned);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan started")]
    private static partial void LogScanStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan finished: {Applications} applications, {ServicePrincipals} service principals in {ElapsedMs:F0} ms")]
    private static partial void LogScanFinished(ILogger logger, int applications, int servicePrincipals, double elapsedMs);
}
