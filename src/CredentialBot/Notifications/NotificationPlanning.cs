using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.Domain;
using CredentialBot.Store;

namespace CredentialBot.Notifications;

/// <summary>The outbox payload of one notice. Only ids and the stage: the card is rebuilt from the store when sent.</summary>
[JsonSerializable(typeof(Notice))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;

/// <summary>
/// Turns the store's Apps into outbox notices. A scan calls <see cref="PlanBatchAsync"/> for each batch it has just
/// written, inside the same transaction, so the snapshot and its notices are stored together or not at all; the
/// Apps are completed with what only the store knows (technical and business owners, the externally-managed flag).
/// <see cref="PlanAsync(CancellationToken)"/> walks the whole catalog (after owners were imported, and after every delta round, because stages move with the clock). The outbox takes each dedup
/// key once, so planning twice — or crashing half-way and planning again — never notifies twice.
/// </summary>
public sealed partial class NotificationPlanning(AppCatalog catalog, PolicyStore policies, SnoozeStore snoozes, Outbox outbox, TimeProvider time, ILogger<NotificationPlanning> logger)
{
    private const int PageSize = 1_000;

    /// <summary>Plans every App in the catalog (or of one kind), a page at a time.</summary>
    public async Task<int> PlanAsync(CancellationToken cancellationToken) => await PlanAsync(null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc cref="PlanAsync(CancellationToken)"/>
    public async Task<int> PlanAsync(AppKind? kind, CancellationToken cancellationToken)
    {
        var policyFor = await policies.GetResolverAsync(cancellationToken).ConfigureAwait(false);
        // Only credential findings notify, and none before the earliest first stage of any policy: Apps whose
        // credentials all end later cannot produce a notice, so the walk skips them in SQL.
        var firstStageDays = (await policies.ListAsync(cancellationToken).ConfigureAwait(false)).Append(Policy.Default).Max(p => p.FirstStageDays);
        var horizon = time.GetUtcNow().AddDays(firstStageDays + 1);
        var planned = 0;
        string? after = null;
        while (true)
        {
            var page = await catalog.ListPageAsync(after, PageSize, kind, horizon, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].ObjectId;
            planned += await EnqueueAsync(page, policyFor, cancellationToken).ConfigureAwait(false);
        }

        LogPlanned(logger, planned);
        return planned;
    }

    /// <summary>Plans the Apps a scan batch just wrote (as read from the directory); the caller owns the transaction.</summary>
    public async Task<int> PlanBatchAsync(IReadOnlyList<App> fromDirectory, Func<App, Policy> policyFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policyFor);
        var apps = await catalog.WithStoreFactsAsync(fromDirectory, cancellationToken).ConfigureAwait(false);
        return await EnqueueAsync(apps, policyFor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A snoozed credential is skipped at its expiring stages; once expired it is announced regardless, because a
    /// snooze is "remind me later", not "let it break quietly".
    /// </summary>
    internal static bool IsSnoozed(Notice notice, IReadOnlySet<(string App, string Key)> snoozed) =>
        notice.Stage != Notice.ExpiredStage && snoozed.Contains((notice.AppObjectId, notice.CredentialKeyId));

    /// <summary>The credentials of these Apps whose notices are paused now.</summary>
    internal static async Task<IReadOnlySet<(string App, string Key)>> SnoozedAsync(SnoozeStore snoozes, IReadOnlyCollection<string> appObjectIds, CancellationToken cancellationToken) =>
        (await snoozes.ActiveForAsync(appObjectIds, cancellationToken).ConfigureAwait(false)).Select(s => (s.AppObjectId, s.CredentialKeyId)).ToHashSet();

    private async Task<int> EnqueueAsync(IReadOnlyList<App> apps, Func<App, Policy> policyFor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var snoozed = await SnoozedAsync(snoozes, [.. apps.Select(a => a.ObjectId)], cancellationToken).ConfigureAwait(false);
        var messages = apps
            .SelectMany(app =>
            {
                var policy = policyFor(app);
                return NotificationPlanner.Plan(app, policy, PolicyEvaluator.Evaluate(app, policy, now));
            })
            .Where(n => !IsSnoozed(n, snoozed))
            .Select(n => (n.DedupKey, n.RecipientObjectId, JsonSerializer.Serialize(n, NotificationJsonContext.Default.Notice)))
            .ToList();
        return await outbox.EnqueueManyAsync(messages, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Count} new expiry notices")]
    private static partial void LogPlanned(ILogger logger, int count);
}
