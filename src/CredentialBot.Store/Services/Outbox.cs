using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Notifications waiting to be sent. Enqueueing is idempotent by dedup key (a notification is planned once per
/// credential, stage and recipient); the dispatcher claims rows for a while, then marks them sent or failed.
/// </summary>
public sealed class Outbox(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>Adds a message unless one with the same key exists; true when added.</summary>
    public async Task<bool> EnqueueAsync(string dedupKey, string recipientObjectId, string payload, CancellationToken cancellationToken = default)
    {
        if (await db.Outbox.AnyAsync(m => m.DedupKey == dedupKey, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var now = time.GetUtcNow();
        db.Outbox.Add(new OutboxMessageRecord { DedupKey = dedupKey, RecipientObjectId = recipientObjectId, Payload = payload, Status = OutboxStatus.Pending, CreatedAt = now, NextAttemptAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// Adds every message whose key is new; returns how many were added. Multi-row
    /// <c>INSERT … ON CONFLICT DO NOTHING</c> statements: no read first, and a key that another writer just took is
    /// simply skipped. Callers that plan in batches (the scan) run it inside their transaction.
    /// </summary>
    public async Task<int> EnqueueManyAsync(IReadOnlyCollection<(string DedupKey, string RecipientObjectId, string Payload)> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcTicks;
        var added = 0;
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var insert = new BulkInsert(
                db,
                "Outbox",
                ["DedupKey", "RecipientObjectId", "Payload", "Status", "Attempts", "CreatedAt", "NextAttemptAt"],
                """ON CONFLICT ("DedupKey") DO NOTHING""");
            foreach (var (key, recipient, payload) in messages.DistinctBy(m => m.DedupKey, StringComparer.Ordinal))
            {
                await insert.AddAsync(cancellationToken, key, recipient, payload, nameof(OutboxStatus.Pending), 0, now, now).ConfigureAwait(false);
            }

            await insert.FlushAsync(cancellationToken).ConfigureAwait(false);
            added = insert.RowsWritten;
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        return added;
    }

    /// <summary>
    /// Makes a person's waiting messages due now (they just installed the bot, so they can be reached), including
    /// those marked unreachable because they had not.
    /// </summary>
    public Task<int> WakeRecipientAsync(string recipientObjectId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return db.Outbox.Where(m => m.RecipientObjectId == recipientObjectId && ((m.Status == OutboxStatus.Pending && m.NextAttemptAt > now) || m.Status == OutboxStatus.Unreachable))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now).SetProperty(m => m.Status, OutboxStatus.Pending), cancellationToken);
    }

    /// <summary>
    /// Pending messages due now (and ones whose claim lapsed: their sender died), claimed for <paramref name="claimFor"/>
    /// by <paramref name="holder"/>. One conditional UPDATE stamps the rows that are still claimable with this holder
    /// and deadline, then exactly those are read back, so two instances never claim the same row.
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessageRecord>> ClaimBatchAsync(string holder, int max, TimeSpan claimFor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var until = now + claimFor;
        var candidates = await db.Outbox.AsNoTracking()
            .Where(m => (m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now) || (m.Status == OutboxStatus.Sending && m.ClaimedUntil < now))
            .OrderBy(m => m.Id).Take(max).Select(m => m.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return [];
        }

        await db.Outbox
            .Where(m => candidates.Contains(m.Id) && ((m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now) || (m.Status == OutboxStatus.Sending && m.ClaimedUntil < now)))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sending).SetProperty(m => m.ClaimedBy, holder).SetProperty(m => m.ClaimedUntil, until).SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken)
            .ConfigureAwait(false);
        return await db.Outbox.AsNoTracking()
            .Where(m => candidates.Contains(m.Id) && m.Status == OutboxStatus.Sending && m.ClaimedBy == holder && m.ClaimedUntil == until)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<int> MarkSentAsync(long id, string? conversationId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return db.Outbox.Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.SentAt, now).SetProperty(m => m.ConversationId, conversationId).SetProperty(m => m.ClaimedBy, (string?)null), cancellationToken);
    }

    /// <summary>Schedules a retry at <paramref name="retryAt"/>, or marks the message finally failed/unreachable.</summary>
    public Task<int> MarkFailedAsync(long id, OutboxStatus status, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        var next = retryAt ?? time.GetUtcNow();
        var finalStatus = retryAt is null ? status : OutboxStatus.Pending;
        var message = error.Length > 1024 ? error[..1024] : error;
        return db.Outbox.Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, finalStatus).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LastError, message).SetProperty(m => m.ClaimedBy, (string?)null), cancellationToken);
    }
}
