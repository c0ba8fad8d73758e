using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Audit;

/// <summary>
/// Links events after the chain's head inside the caller's open transaction: saves what the transaction has pending
/// (the action first, so its own failures surface before the chain is locked), takes the chain lock, reads the head,
/// MACs each event over the previous one and saves them. The transaction's commit or rollback decides for both.
/// </summary>
internal static class AuditChainLinker
{
    /// <summary>The chain's head, compiled once: every audited action reads it.</summary>
    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, CancellationToken, Task<Head?>>> HeadOf = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, CancellationToken _) =>
            context.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new Head(e.Sequence, e.Hash)).FirstOrDefault()));

    public static async Task<IReadOnlyList<long>> LinkAsync(CredentialBotDbContext db, AuditChain chain, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        var state = await AuditChainLock.LockStateAsync(db, cancellationToken).ConfigureAwait(false);
        var key = await chain.KeyForWritingAsync(db, state, cancellationToken).ConfigureAwait(false);
        var head = await HeadOf.For(db)(db, cancellationToken).ConfigureAwait(false);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditChain.GenesisHash;
        var records = new List<AuditEventRecord>(events.Count);
        foreach (var staged in events)
        {
            var record = new AuditEventRecord
            {
                Sequence = ++sequence,
                At = staged.At,
                ActorObjectId = staged.ActorObjectId,
                ActorName = staged.ActorName,
                AppObjectId = staged.AppObjectId,
                Operation = staged.Operation,
                Outcome = staged.Outcome,
                Reason = staged.Reason,
                Ticket = staged.Ticket,
                PreviousHash = previous,
                Hash = string.Empty,
            };
            record.Hash = AuditChain.MacOf(key, record);
            previous = record.Hash;
            records.Add(record);
        }

        db.AuditEvents.AddRange(records);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        // Events are never changed once written, and every tracked entity is looked at by each later save of the
        // scope: a chore that audits thousands of things in one scope made each save slower than the last.
        foreach (var record in records)
        {
            db.Entry(record).State = EntityState.Detached;
        }

        return [.. records.Select(r => r.Sequence)];
    }

    private sealed record Head(long Sequence, string Hash);
}
