using CredentialBot.Store.Diagnostics;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Notifications waiting to be sent. Enqueueing is idempotent by dedup key (a notification is planned once per
/// credential, stage and recipient); the dispatcher claims rows for a while, then marks them sent or failed.
/// </summary>
public sealed class Outbox(CredentialBotDbContext db, TimeProvider time)
{
    internal static readonly RowShape RecipientRow = new("OutboxRecipients", [("RecipientObjectId", ColumnType.Text)]);

    internal static readonly RowShape MessageRow = new("Outbox", [
        ("DedupKey", ColumnType.Text), ("RecipientObjectId", ColumnType.Text), ("Payload", ColumnType.Text), ("Status", ColumnType.Text),
        ("Attempts", ColumnType.Int64), ("CreatedAt", ColumnType.Int64), ("NextAttemptAt", ColumnType.Int64)]);

    internal static readonly string[] RecipientKey = ["RecipientObjectId"];
    internal static readonly string[] MessageKey = ["DedupKey"];

    /// <summary>
    /// Counts the messages waiting or in flight by status and records them as the outbox depth gauge
    /// (<see cref="StoreTelemetry.OutboxDepthMetric"/>); a status with no rows is recorded as 0.
    /// </summary>
    public async Task<IReadOnlyDictionary<OutboxStatus, int>> MeasureDepthAsync(CancellationToken cancellationToken = default)
    {
        var counts = await db.Outbox.Where(m => m.Status != OutboxStatus.Sent)
            .GroupBy(m => m.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken).ConfigureAwait(false);
        StoreTelemetry.RecordOutboxDepth(counts);
        return counts;
    }

    /// <summary>
    /// Adds a message unless one with the same key exists; true when added. <c>INSERT … ON CONFLICT DO NOTHING</c>: two
    /// writers racing for one key never fail, and nothing logs an error for the loser.
    /// </summary>
    public async Task<bool> EnqueueAsync(string dedupKey, string recipientObjectId, string payload, CancellationToken cancellationToken = default) =>
        await EnqueueManyAsync([(dedupKey, recipientObjectId, payload)], cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// Adds every message whose key is new; returns how many were added. <c>INSERT … ON CONFLICT DO NOTHING</c>: no read
    /// first, and a key that another writer just took is simply skipped. In one transaction: the caller's when it has
    /// one (a scan plans each batch inside the batch's transaction), otherwise one of its own.
    /// </summary>
    public async Task<int> EnqueueManyAsync(IReadOnlyCollection<(string DedupKey, string RecipientObjectId, string Payload)> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcTicks;
        var pending = nameof(OutboxStatus.Pending);
        List<object?[]> people = [.. messages.Select(m => m.RecipientObjectId).Distinct(StringComparer.Ordinal).Select(person => new object?[] { person })];
        List<object?[]> rows = [.. messages.DistinctBy(m => m.DedupKey, StringComparer.Ordinal).Select(m => new object?[] { m.DedupKey, m.RecipientObjectId, m.Payload, pending, 0L, now, now })];
        return await db.InTransactionAsync(
            async ct =>
            {
                var writer = RowSetWriter.For(db);
                // The people's rows first: a claim only finds messages through them.
                await writer.InsertNewAsync(RecipientRow, RecipientKey, people, ct).ConfigureAwait(false);
                return await writer.InsertNewAsync(MessageRow, MessageKey, rows, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a person's waiting messages due now (they just installed the bot, so they can be reached), including
    /// those marked unreachable because they had not.
    /// </summary>
    public Task<int> WakeRecipientAsync(string recipientObjectId, CancellationToken cancellationToken = default) =>
        WakeRecipientsAsync([recipientObjectId], cancellationToken);

    /// <summary>
    /// Makes the waiting messages of these people due now: each was just found where the bot can reach them (a team's
    /// roster), so notices that waited as unreachable are tried again. Messages already sent are never touched.
    /// </summary>
    public Task<int> WakeRecipientsAsync(IReadOnlyCollection<string> recipientObjectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipientObjectIds);
        if (recipientObjectIds.Count == 0)
        {
            return Task.FromResult(0);
        }

        var now = time.GetUtcNow();
        var people = recipientObjectIds.ToList();
        return db.Outbox.Where(m => people.Contains(m.RecipientObjectId) && ((m.Status == OutboxStatus.Pending && m.NextAttemptAt > now) || m.Status == OutboxStatus.Unreachable))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now).SetProperty(m => m.Status, OutboxStatus.Pending), cancellationToken);
    }

    /// <summary>The people with messages waiting as unreachable, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<string>> ListUnreachableRecipientsAsync(int max, CancellationToken cancellationToken = default) =>
        await db.Outbox.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Unreachable)
            .Select(m => m.RecipientObjectId).Distinct().OrderBy(r => r).Take(max)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Unreachable messages whose retry time came are due again (the dispatcher then looks for their person once more);
    /// returns how many. One statement, so two instances doing it at once wake each message once.
    /// </summary>
    public Task<int> ReviveDueUnreachableAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return db.Outbox.Where(m => m.Status == OutboxStatus.Unreachable && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending).SetProperty(m => m.NextAttemptAt, now), cancellationToken);
    }

    /// <summary>
    /// The messages' person cannot be reached: each waits as <see cref="OutboxStatus.Unreachable"/> until its retry time
    /// (or until the person is found sooner). <paramref name="escalated"/> records that admins were told now; an earlier
    /// time is kept. One statement for each distinct retry time, all in one transaction: a digest's notices are marked
    /// together or not at all, and a person with many notices costs a few statements, not one each.
    /// </summary>
    public Task MarkUnreachableAsync(IReadOnlyCollection<(long Id, DateTimeOffset RetryAt)> messages, string error, bool escalated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = time.GetUtcNow();
        DateTimeOffset? told = escalated ? now : null;
        var message = Truncated(error);
        return MarkGroupsAsync(
            messages,
            (ids, retryAt, ct) => db.Outbox.Where(m => ids.Contains(m.Id))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.Status, OutboxStatus.Unreachable).SetProperty(m => m.NextAttemptAt, retryAt).SetProperty(m => m.LastError, message)
                        .SetProperty(m => m.ClaimedBy, (string?)null).SetProperty(m => m.EscalatedAt, m => m.EscalatedAt ?? told),
                    ct),
            cancellationToken);
    }

    /// <summary>
    /// Claims every due message (pending and due, or sending under a claim that lapsed because its sender died) of up
    /// to <paramref name="maxRecipients"/> people, for <paramref name="claimFor"/>, by <paramref name="holder"/>; the
    /// messages come grouped by recipient. A person's messages are claimed whole or not at all, and a person with a
    /// live claim on any message is left to that claimer, so one person gets one digest whichever instance sends it.
    /// <para>
    /// One transaction: lock up to N people's <see cref="OutboxRecipientRecord"/> rows that have due messages and no
    /// live claim (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers take different people without
    /// waiting; SQLite: the transaction holds the database's single write lock from its first statement), then look
    /// again with a fresh snapshot for claims committed between the first look and the lock, then stamp the
    /// messages. People are taken oldest message first.
    /// </para>
    /// </summary>
    public Task<IReadOnlyList<OutboxMessageRecord>> ClaimRecipientsAsync(string holder, int maxRecipients, TimeSpan claimFor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecipients, 1);
        return db.InTransactionAsync<IReadOnlyList<OutboxMessageRecord>>(
            async ct =>
            {
                var now = time.GetUtcNow();
                var until = now + claimFor;
                var people = await LockClaimableRecipientsAsync(now, maxRecipients, ct).ConfigureAwait(false);
                if (people.Count == 0)
                {
                    return [];
                }

                var claimedMeanwhile = await db.Outbox
                    .Where(m => people.Contains(m.RecipientObjectId) && m.Status == OutboxStatus.Sending && m.ClaimedUntil >= now)
                    .Select(m => m.RecipientObjectId).Distinct()
                    .ToListAsync(ct).ConfigureAwait(false);
                people = [.. people.Except(claimedMeanwhile, StringComparer.Ordinal)];
                await db.Outbox
                    .Where(m => people.Contains(m.RecipientObjectId) && ((m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now) || (m.Status == OutboxStatus.Sending && m.ClaimedUntil < now)))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sending).SetProperty(m => m.ClaimedBy, holder).SetProperty(m => m.ClaimedUntil, until).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct)
                    .ConfigureAwait(false);
                return await db.Outbox.AsNoTracking()
                    .Where(m => people.Contains(m.RecipientObjectId) && m.Status == OutboxStatus.Sending && m.ClaimedBy == holder && m.ClaimedUntil == until)
                    .OrderBy(m => m.RecipientObjectId).ThenBy(m => m.Id)
                    .ToListAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>
    /// Extends the claim on <paramref name="messages"/> from now, just before they are sent: true when every one is still
    /// held by the claim that took it, even if that claim lapsed meanwhile. A lapse only lets another claim take the
    /// messages; until one does, nobody else can send them, and giving them up would leave them unsent until the next
    /// pass (a one-shot <c>dispatch</c> lost people that way). False when another claim took them (another instance,
    /// or this one claiming again): that claim sends them, and the caller must not. A claim renewed here cannot lapse
    /// while the send it guards is under way, however long the batch before it took.
    /// </summary>
    public async Task<bool> RenewClaimAsync(IReadOnlyList<OutboxMessageRecord> messages, TimeSpan claimFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return true;
        }

        // One claim stamps all of a person's messages with the same holder and term; the pair names the claim.
        var holder = messages[0].ClaimedBy;
        var term = messages[0].ClaimedUntil;
        if (holder is null || term is null || messages.Any(m => m.ClaimedBy != holder || m.ClaimedUntil != term))
        {
            throw new ArgumentException("The messages must come from one claim.", nameof(messages));
        }

        var ids = messages.Select(m => m.Id).ToList();
        var until = time.GetUtcNow() + claimFor;
        var renewed = await db.Outbox.Where(m => ids.Contains(m.Id) && m.Status == OutboxStatus.Sending && m.ClaimedBy == holder && m.ClaimedUntil == term)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, until), cancellationToken).ConfigureAwait(false) == ids.Count;
        if (renewed)
        {
            foreach (var message in messages)
            {
                message.ClaimedUntil = until;
            }
        }

        return renewed;
    }

    /// <summary>The messages were sent (as one digest, in <paramref name="conversationId"/>); one statement.</summary>
    public Task<int> MarkSentAsync(IReadOnlyCollection<long> ids, string? conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.FromResult(0);
        }

        var now = time.GetUtcNow();
        var list = ids.ToList();
        return db.Outbox.Where(m => list.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.SentAt, now).SetProperty(m => m.ConversationId, conversationId).SetProperty(m => m.ClaimedBy, (string?)null), cancellationToken);
    }

    /// <summary>
    /// Schedules each message's retry at its time, or, where that is null, marks it finally <paramref name="status"/>.
    /// One statement for each distinct retry time, all in one transaction (see <see cref="MarkUnreachableAsync"/>).
    /// </summary>
    public Task MarkFailedAsync(IReadOnlyCollection<(long Id, DateTimeOffset? RetryAt)> messages, OutboxStatus status, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var message = Truncated(error);
        return MarkGroupsAsync(
            messages,
            (ids, retryAt, ct) =>
            {
                var next = retryAt ?? time.GetUtcNow();
                var finalStatus = retryAt is null ? status : OutboxStatus.Pending;
                return db.Outbox.Where(m => ids.Contains(m.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, finalStatus).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, message).SetProperty(m => m.ClaimedBy, (string?)null), ct);
            },
            cancellationToken);
    }

    private static string Truncated(string error) => error.Length > 1024 ? error[..1024] : error;

    /// <summary>Runs <paramref name="mark"/> once for each distinct time, with the ids that share it; several in one transaction.</summary>
    private async Task MarkGroupsAsync<TAt>(IEnumerable<(long Id, TAt At)> messages, Func<List<long>, TAt, CancellationToken, Task<int>> mark, CancellationToken cancellationToken)
    {
        var groups = messages.GroupBy(m => m.At, m => m.Id).Select(g => (At: g.Key, Ids: g.Distinct().ToList())).ToList();
        switch (groups.Count)
        {
            case 0:
                return;
            case 1:
                await mark(groups[0].Ids, groups[0].At, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await db.InTransactionAsync(
                    async ct =>
                    {
                        foreach (var (at, ids) in groups)
                        {
                            await mark(ids, at, ct).ConfigureAwait(false);
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private async Task<List<string>> LockClaimableRecipientsAsync(DateTimeOffset now, int maxRecipients, CancellationToken cancellationToken)
    {
        var lockRows = db.Database.IsNpgsql() ? """FOR UPDATE OF r SKIP LOCKED""" : string.Empty;
        var sql = $$"""
            SELECT r."RecipientObjectId" AS "Value"
            FROM "OutboxRecipients" AS r
            JOIN (
                SELECT m."RecipientObjectId", MIN(m."Id") AS "FirstId"
                FROM "Outbox" AS m
                WHERE (m."Status" = {0} AND m."NextAttemptAt" <= {2}) OR (m."Status" = {1} AND m."ClaimedUntil" < {2})
                GROUP BY m."RecipientObjectId"
            ) AS due ON due."RecipientObjectId" = r."RecipientObjectId"
            WHERE NOT EXISTS (
                SELECT 1 FROM "Outbox" AS live
                WHERE live."RecipientObjectId" = r."RecipientObjectId" AND live."Status" = {1} AND live."ClaimedUntil" >= {2})
            ORDER BY due."FirstId"
            LIMIT {3}
            {{lockRows}}
            """;
        return await db.Database
            .SqlQueryRaw<string>(sql, nameof(OutboxStatus.Pending), nameof(OutboxStatus.Sending), now.UtcTicks, maxRecipients)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
