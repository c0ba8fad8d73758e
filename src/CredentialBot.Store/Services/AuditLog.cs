using CredentialBot.Domain;
using CredentialBot.Store.Audit;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// The append-only audit trail: a chain in which each event's MAC (HMAC-SHA256 under a key kept outside the database)
/// covers its fields, its sequence and the previous event's MAC, anchored by checkpoints in a file outside the
/// database. An action and its events commit together through <see cref="BeginChangeAsync"/>; an event without an
/// action (a refusal, a janitor's note) through <see cref="AppendAsync"/>. Both link under one lock, so concurrent
/// appends never collide and never retry.
/// </summary>
public sealed class AuditLog(CredentialBotDbContext db, AuditChain chain, TimeProvider time)
{
    /// <summary>The chain's anchor: the "previous hash" of the first event.</summary>
    public const string GenesisHash = AuditChain.GenesisHash;

    private AuditedChange? _open;

    /// <summary>
    /// Opens a transaction on this scope's store for an action and its audit events. Write through the scope's store
    /// services, stage events with <see cref="AuditedChange.Audit"/> (or <see cref="AppendAsync"/>, which joins the
    /// open change), then <see cref="AuditedChange.CommitAsync"/>.
    /// </summary>
    public async Task<AuditedChange> BeginChangeAsync(CancellationToken cancellationToken = default) =>
        _open = await AuditedChange.BeginAsync(db, chain, time, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Appends one event; its sequence. On its own it is its own transaction. While this scope has a change (or any
    /// transaction) open, the event joins it and commits or rolls back with it: code that audits through this method
    /// gets the one-transaction guarantee by opening a change around the action.
    /// </summary>
    public async Task<long> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (_open is { IsOpen: true } open)
        {
            return await open.LinkNowAsync(auditEvent, cancellationToken).ConfigureAwait(false);
        }

        if (db.Database.CurrentTransaction is not null)
        {
            var joined = (await AuditChainLinker.LinkAsync(db, chain, [auditEvent], cancellationToken).ConfigureAwait(false))[0];
            chain.NoteAppended(1);
            return joined;
        }

        await using var change = await BeginChangeAsync(cancellationToken).ConfigureAwait(false);
        change.Audit(auditEvent);
        return (await change.CommitAsync(cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// Walks the whole chain under the key and compares it with every checkpoint: edited, inserted, deleted, truncated,
    /// wiped or rewritten events and forged checkpoints are each named. Reads only.
    /// </summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        AuditVerifier.VerifyAsync(db, chain, cancellationToken);

    /// <summary>Keys a store that has never been keyed (generating the key file when allowed); checks the key otherwise.</summary>
    internal async Task EnsureKeyedAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var state = await AuditChainLock.LockStateAsync(db, cancellationToken).ConfigureAwait(false);
        await chain.KeyForWritingAsync(db, state, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every event in chain order (or one App's), streamed: exports never hold the trail in memory.</summary>
    public IAsyncEnumerable<(long Sequence, AuditEvent Event, string Hash)> StreamAsync(string? appObjectId = null) =>
        db.AuditEvents.AsNoTracking().Where(e => appObjectId == null || e.AppObjectId == appObjectId).OrderBy(e => e.Sequence)
            .Select(e => new ValueTuple<long, AuditEvent, string>(e.Sequence, new AuditEvent(e.ActorObjectId, e.ActorName, e.AppObjectId, e.Operation, e.Outcome, e.Reason, e.Ticket, e.At), e.Hash))
            .AsAsyncEnumerable();

    /// <summary>The most recent events about one App, newest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> ListForAppAsync(string appObjectId, int max, CancellationToken cancellationToken = default) =>
        await db.AuditEvents.AsNoTracking().Where(e => e.AppObjectId == appObjectId)
            .OrderByDescending(e => e.Sequence).Take(max)
            .Select(e => new AuditEvent(e.ActorObjectId, e.ActorName, e.AppObjectId, e.Operation, e.Outcome, e.Reason, e.Ticket, e.At))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
}
