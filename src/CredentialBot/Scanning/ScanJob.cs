using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CredentialBot.Digests;
using CredentialBot.Domain;
using CredentialBot.Store;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace CredentialBot.Scanning;

/// <summary>
/// One scan of the tenant, per collection: the first time (or when the delta link has expired) a full listing, taken
/// after asking Graph for a delta link so nothing changing meanwhile is missed; afterwards only the changes since
/// that link. Apps stream a batch at a time into the store snapshot, so memory stays flat whatever the tenant
/// size; each batch and the notices it calls for are written in one transaction. A full listing marks the Apps it
/// did not see as deleted; a delta round marks those Graph reports removed. Then the dispatcher is woken.
/// </summary>
public sealed partial class ScanJob(ITenantDirectory directory, CredentialBotDbContext db, AppCatalog catalog, PolicyStore policies, DeltaTokenStore deltaTokens, DeltaLinkOrigin origin, NotificationPlanning planning, DispatchSignal dispatch, ScanRest rest, TimeProvider time, IOptions<ScannerOptions> options, ILogger<ScanJob> logger)
{
    /// <summary>Beside each collection's delta link, under its name with this suffix: delta rounds since its last full listing.</summary>
    private const string DeltaRoundsSuffix = ".deltaRounds";

    private IProgress<ScanProgress>? _progress;
    private CatalogTally? _tally;

    /// <summary>
    /// Scans once; <paramref name="progress"/>, when given, hears after every stored batch. A full listing counts each App
    /// it writes, as judged for its notices, into <paramref name="tally"/> when given: when both collections were listed
    /// in full (<see cref="ScanResult.ListedInFull"/>) the tally holds the whole catalog, and no walk of the store is
    /// needed for the compliance summary.
    /// </summary>
    public async Task<ScanResult> RunOnceAsync(CancellationToken cancellationToken, IProgress<ScanProgress>? progress = null, CatalogTally? tally = null)
    {
        _progress = progress;
        _tally = tally;
        using var trace = ScanTrace.Start();
        var started = time.GetUtcNow();
        var timestamp = time.GetTimestamp();
        LogScanStarted(logger);

        var policyFor = await policies.GetResolverAsync(cancellationToken);
        int applications, plannedForApplications, servicePrincipals, plannedForServicePrincipals;
        ScanMode applicationsMode, servicePrincipalsMode;
        // The first scan of an empty store loads rows first and builds the snapshot's indexes once, at the end.
        await using (await catalog.BeginBulkLoadAsync(cancellationToken))
        {
            (applications, plannedForApplications, applicationsMode) = await ScanCollectionAsync(AppKind.Application, started, policyFor, cancellationToken);
            (servicePrincipals, plannedForServicePrincipals, servicePrincipalsMode) = await ScanCollectionAsync(AppKind.ServicePrincipal, started, policyFor, cancellationToken);
        }

        var planned = plannedForApplications + plannedForServicePrincipals;
        if (planned > 0)
        {
            dispatch.Wake();
        }

        var result = new ScanResult(applications, servicePrincipals, planned, started, time.GetElapsedTime(timestamp), applicationsMode, servicePrincipalsMode);
        LogScanFinished(logger, applications, servicePrincipals, result.Duration.TotalMilliseconds);
        trace.Finished(result);
        return result;
    }

    private async Task<(int Apps, int Planned, ScanMode Mode)> ScanCollectionAsync(AppKind kind, DateTimeOffset started, Func<App, Policy> policyFor, CancellationToken cancellationToken)
    {
        var collection = kind.ToString();
        var roundsKey = collection + DeltaRoundsSuffix;
        var deltaRounds = int.TryParse(await deltaTokens.GetAsync(roundsKey, cancellationToken), out var rounds) ? rounds : 0;
        var deltaLink = await deltaTokens.GetAsync(collection, cancellationToken);
        if (deltaLink is not null && !origin.IsOurs(deltaLink))
        {
            LogForeignLink(logger, collection);
            deltaLink = null;
        }
        else if (deltaLink is not null && deltaRounds + 1 >= options.Value.FullListingEvery)
        {
            LogPeriodicFullListing(logger, collection, deltaRounds);
            deltaLink = null;
        }

        if (deltaLink is not null)
        {
            try
            {
                var removed = new List<string>();
                string? nextLink = null;
                var (changed, _) = await UpsertAllAsync(ChangedAppsAsync(kind, deltaLink, removed, link => nextLink = link, cancellationToken), kind, started, policyFor, full: false, cancellationToken);
                await catalog.MarkDeletedAsync(removed, cancellationToken);
                await deltaTokens.SetAsync(collection, nextLink ?? deltaLink, cancellationToken);
                await deltaTokens.SetAsync(roundsKey, (deltaRounds + 1).ToString(CultureInfo.InvariantCulture), cancellationToken);
                LogDelta(logger, collection, changed, removed.Count);

                // Stages move with the clock, not with the directory: every App is planned again, from the store.
                var planned = await planning.PlanAsync(kind, cancellationToken);
                return (changed, planned, ScanMode.Delta);
            }
            catch (DeltaExpiredException)
            {
                LogResync(logger, collection);
                await deltaTokens.SetAsync(collection, null, cancellationToken);
            }
        }

        // Taken before listing: whatever changes while the listing runs is in the next delta round.
        var latest = await directory.GetLatestDeltaLinkAsync(kind, cancellationToken);
        var listing = kind == AppKind.Application ? directory.GetApplicationsAsync(cancellationToken) : directory.GetServicePrincipalsAsync(cancellationToken);
        var (count, plannedInFull) = await UpsertAllAsync(listing, kind, started, policyFor, full: true, cancellationToken);
        await deltaTokens.SetAsync(collection, latest, cancellationToken);
        await deltaTokens.SetAsync(roundsKey, null, cancellationToken);
        return (count, plannedInFull, ScanMode.Full);
    }

    private async IAsyncEnumerable<App> ChangedAppsAsync(AppKind kind, string deltaLink, List<string> removed, Action<string> onDeltaLink, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in directory.GetChangesAsync(kind, deltaLink, cancellationToken))
        {
            removed.AddRange(page.Removed);
            if (page.DeltaLink is { } next)
            {
                onDeltaLink(next);
            }

            foreach (var app in page.Changed)
            {
                yield return app;
            }
        }
    }

    /// <summary>
    /// Reading and writing overlap: one task pages through the directory into a small bounded channel while this one
    /// writes batches, so the scan takes about as long as the slower of the two rather than their sum, and at most
    /// two batches wait in memory. On SQLite each batch commits on its own unless the next one is already waiting and
    /// nobody waits for the bot's answer: then up to <see cref="ScannerOptions.BatchesPerTransaction"/> batches share a
    /// transaction, so a writer that has fallen behind commits less often. A person's write never waits behind more
    /// than the batch being written, as before. Progress and the tally hear of a batch once it is committed.
    /// </summary>
    /// <remarks>
    /// A full listing plans each batch as it lands and then marks what it did not see as deleted. A delta round
    /// only writes; its caller plans the whole catalog afterwards.
    /// </remarks>
    private async Task<(int Apps, int Planned)> UpsertAllAsync(IAsyncEnumerable<App> apps, AppKind kind, DateTimeOffset started, Func<App, Policy> policyFor, bool full, CancellationToken cancellationToken)
    {
        var batches = Channel.CreateBounded<App[]>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var batch in apps.Chunk(options.Value.BatchSize).WithCancellation(stop.Token))
                    {
                        await batches.Writer.WriteAsync(batch, stop.Token);
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

        // On PostgreSQL a commit is cheap, and people acting on another instance, whom this one cannot count, would
        // wait on the rows a longer transaction holds.
        var batchesPerTransaction = catalog.OneWriterAtATime ? options.Value.BatchesPerTransaction : 1;
        var count = 0;
        var planned = 0;
        var uncommitted = new List<(int Apps, BatchPlan? Plan)>();
        IDbContextTransaction? transaction = null;
        var transactionStarted = 0L;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                if (transaction is null)
                {
                    transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    transactionStarted = time.GetTimestamp();
                }

                uncommitted.Add((batch.Length, await WriteBatchAsync(batch, started, policyFor, full, cancellationToken)));
                if (uncommitted.Count < batchesPerTransaction && batches.Reader.TryPeek(out _) && !rest.AnyoneWaiting)
                {
                    continue;
                }

                await transaction.CommitAsync(cancellationToken);
                await transaction.DisposeAsync();
                transaction = null;
                foreach (var (written, plan) in uncommitted)
                {
                    count += written;
                    planned += plan?.Planned ?? 0;
                    foreach (var judged in plan?.Judged ?? [])
                    {
                        _tally?.Add(judged);
                    }

                    _progress?.Report(new ScanProgress(kind, count, full ? ScanMode.Full : ScanMode.Delta));
                }

                uncommitted.Clear();
                await rest.AfterBatchAsync(time.GetElapsedTime(transactionStarted), cancellationToken);
            }
        }
        finally
        {
            // Batches written since the last commit are rolled back: the scan failed, and the next one lists them again.
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await stop.CancelAsync();
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Only after the whole listing succeeded: a failed scan must never mark live Apps as deleted.
        if (full)
        {
            await catalog.MarkMissingAsDeletedAsync(kind, started, cancellationToken);
        }

        return (count, planned);
    }

    /// <summary>One batch and, in a full listing, the notices it calls for, inside the caller's transaction.</summary>
    private async Task<BatchPlan?> WriteBatchAsync(App[] batch, DateTimeOffset started, Func<App, Policy> policyFor, bool full, CancellationToken cancellationToken)
    {
        var write = await catalog.UpsertSnapshotAsync(batch, started, cancellationToken);
        return full ? await planning.PlanBatchAsync(batch, policyFor, write, cancellationToken) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delta round for {Collection}: {Changed} changed, {Removed} removed")]
    private static partial void LogDelta(ILogger logger, string collection, int changed, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Collection} delta link expired; resynchronizing with a full listing")]
    private static partial void LogResync(ILogger logger, string collection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored {Collection} delta link was issued by another tenant address; listing in full")]
    private static partial void LogForeignLink(ILogger logger, string collection);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Collection}: {Rounds} delta rounds since the last full listing; listing in full so drift heals")]
    private static partial void LogPeriodicFullListing(ILogger logger, string collection, int rounds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan started")]
    private static partial void LogScanStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan finished: {Applications} applications, {ServicePrincipals} service principals in {ElapsedMs:F0} ms")]
    private static partial void LogScanFinished(ILogger logger, int applications, int servicePrincipals, double elapsedMs);
}
