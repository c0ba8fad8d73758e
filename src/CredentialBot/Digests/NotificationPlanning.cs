using System.Text.Json;
using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Digests;

/// <summary>
/// Turns the store's Apps into outbox notices. A scan calls <see cref="PlanBatchAsync"/> for each batch it has just
/// written, inside the same transaction, so the snapshot and its notices are stored together or not at all; the
/// Apps are completed with what only the store knows (technical and business owners, the externally-managed flag).
/// <see cref="PlanAsync(CancellationToken)"/> walks the whole catalog (after owners were imported, and after every delta round,
/// because stages move with the clock). The outbox takes each dedup key once, so planning twice — or crashing half-way and planning again — never notifies twice.
/// </summary>
public sealed partial class NotificationPlanning(AppCatalog catalog, PolicyStore policies, SnoozeStore snoozes, Outbox outbox, TimeProvider time, ILogger<NotificationPlanning> logger)
{
    private const int PageSize = 1_000;

    /// <summary>Plans every App in the catalog (or of one kind), a page at a time.</summary>
    public async Task<int> PlanAsync(CancellationToken cancellationToken) => await PlanAsync(null, cancellationToken);

    /// <inheritdoc cref="PlanAsync(CancellationToken)"/>
    public async Task<int> PlanAsync(AppKind? kind, CancellationToken cancellationToken)
    {
        var policyFor = await policies.GetResolverAsync(cancellationToken);
        // Only credential findings notify, and none before the earliest first stage of any policy: Apps whose
        // credentials all end later cannot produce a notice, so the walk skips them in SQL.
        var firstStageDays = (await policies.ListAsync(cancellationToken)).Append(Policy.Default).Max(p => p.FirstStageDays);
        var horizon = time.GetUtcNow().AddDays(firstStageDays + 1);
        var planned = 0;
        string? after = null;
        while (true)
        {
            var page = await catalog.ListPageAsync(after, PageSize, kind, horizon, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].ObjectId;
            var now = time.GetUtcNow();
            planned += await EnqueueAsync([.. page.Select(app => AppCompliance.Judge(app, policyFor(app), now))], cancellationToken);
        }

        LogPlanned(logger, planned);
        return planned;
    }

    /// <summary>
    /// Plans the Apps a scan batch just wrote (as read from the directory, completed from the store and from what the
    /// batch's <paramref name="write"/> read: <see cref="AppCatalog.WithStoreFactsAsync"/>); the caller owns the
    /// transaction. Returns the notices planned and each App as judged, which a full listing counts for the compliance
    /// summary.
    /// </summary>
    public async Task<BatchPlan> PlanBatchAsync(IReadOnlyList<App> fromDirectory, Func<App, Policy> policyFor, SnapshotWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policyFor);
        var now = time.GetUtcNow();
        var judged = (await catalog.WithStoreFactsAsync(fromDirectory, write, cancellationToken)).Select(app => AppCompliance.Judge(app, policyFor(app), now)).ToList();
        return new BatchPlan(await EnqueueAsync(judged, cancellationToken), judged);
    }

    private async Task<int> EnqueueAsync(IReadOnlyList<AppCompliance> judged, CancellationToken cancellationToken)
    {
        var paused = await PausedNotices.ForAsync(snoozes, [.. judged.Select(j => j.App.ObjectId)], cancellationToken);
        var messages = judged
            .SelectMany(j => NotificationPlanner.Plan(j.App, j.Policy, j.Findings))
            .Where(n => !paused.Silences(n))
            .Select(n => (n.DedupKey, n.RecipientObjectId, JsonSerializer.Serialize(n, DigestJson.Default.Notice)))
            .ToList();
        return await outbox.EnqueueManyAsync(messages, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Count} new expiry notices")]
    private static partial void LogPlanned(ILogger logger, int count);
}
