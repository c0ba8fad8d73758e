using System.Security.Cryptography;
using System.Text;
using CredentialBot.Domain;
using CredentialBot.Store.Audit;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CredentialBot.Store.Services;

/// <summary>
/// An action and its audit events as one transaction: both commit, or neither does. Open it with
/// <see cref="AuditLog.BeginChangeAsync"/>; the store services of the same scope (they share its DbContext) write
/// inside it; <see cref="Audit"/> stages the events; <see cref="CommitAsync"/> links them into the chain (serialised
/// across writers and instances) and commits. Disposing without committing rolls everything back.
/// <para>On SQLite the change holds the database's write lock from the start, so open it after slow work (Graph
/// calls), just around the store writes.</para>
/// </summary>
public sealed class AuditedChange : IAsyncDisposable
{
    private readonly CredentialBotDbContext _db;
    private readonly IDbContextTransaction _transaction;
    private readonly AuditChain _chain;
    private readonly TimeProvider _time;
    private readonly List<AuditEvent> _staged = [];
    private bool _finished;

    private AuditedChange(CredentialBotDbContext db, IDbContextTransaction transaction, AuditChain chain, TimeProvider time)
    {
        _db = db;
        _transaction = transaction;
        _chain = chain;
        _time = time;
    }

    internal static async Task<AuditedChange> BeginAsync(CredentialBotDbContext db, AuditChain chain, TimeProvider time, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A transaction is already open on this scope's store: stage the event with AuditedChange.Audit in that change instead of opening another.");
        }

        // SQLite: Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE, taking the write lock now (waiting for it up to
        // the command timeout), so no read in this change can go stale before its write.
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        return new AuditedChange(db, transaction, chain, time);
    }

    /// <summary>Stages an event; it is linked into the chain and saved at <see cref="CommitAsync"/>, with the action.</summary>
    public void Audit(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ThrowIfFinished();
        _staged.Add(auditEvent);
    }

    /// <summary>
    /// Consumes a confirm button's id for <paramref name="scope"/> (e.g. "ImportOwners") in this transaction. Null: this
    /// press is the first, go ahead. Otherwise who confirmed it and when: answer "already done by X at T" and change
    /// nothing (the refusal can still be audited in this change). Race-safe: of two concurrent presses exactly one gets
    /// null; the other waits for it to commit (PostgreSQL: on the unique key; SQLite: on the write lock). A press
    /// whose change rolls back consumes nothing, so a retry can succeed.
    /// </summary>
    public async Task<AlreadyConfirmed?> ConsumeConfirmationAsync(string scope, string confirmId, string byObjectId, string? byName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scope.Length, 64, nameof(scope));
        ArgumentNullException.ThrowIfNull(confirmId);
        ArgumentException.ThrowIfNullOrWhiteSpace(byObjectId);
        ThrowIfFinished();

        // Card data is untrusted: whatever its length, the key is a fixed-size hash.
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + confirmId)));
        var by = byObjectId.Length > 128 ? byObjectId[..128] : byObjectId;
        var name = byName is { Length: > 256 } ? byName[..256] : byName;
        var at = _time.GetUtcNow().UtcTicks;
        var inserted = await _db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO \"Confirmations\" (\"Key\", \"Scope\", \"ByObjectId\", \"ByName\", \"At\") VALUES ({key}, {scope}, {by}, {name}, {at}) ON CONFLICT (\"Key\") DO NOTHING",
            cancellationToken).ConfigureAwait(false);
        if (inserted == 1)
        {
            return null;
        }

        var done = await _db.Confirmations.AsNoTracking().SingleAsync(c => c.Key == key, cancellationToken).ConfigureAwait(false);
        return new AlreadyConfirmed(done.Scope, done.ByObjectId, done.ByName, done.At);
    }

    /// <summary>
    /// Saves the action's pending changes, links the staged events after the chain's head under the chain lock, and
    /// commits; the events' sequences, in order. On any failure everything is rolled back and the exception is thrown.
    /// </summary>
    public async Task<IReadOnlyList<long>> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        if (_staged.Count == 0)
        {
            throw new InvalidOperationException("An audited change needs its audit event: call Audit before CommitAsync.");
        }

        List<AuditEventRecord> records;
        try
        {
            // The action first: its own failures (a constraint) surface before the chain is locked.
            await _db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            var state = await AuditChainLock.LockStateAsync(_db, cancellationToken).ConfigureAwait(false);
            var key = await _chain.KeyForWritingAsync(_db, state, cancellationToken).ConfigureAwait(false);
            var head = await _db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            records = Link(key, head?.Sequence ?? 0, head?.Hash ?? AuditChain.GenesisHash);
            _db.AuditEvents.AddRange(records);
            await _db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _finished = true;
        }
        catch
        {
            await RollBackAsync().ConfigureAwait(false);
            throw;
        }

        await _transaction.DisposeAsync().ConfigureAwait(false);
        _chain.NoteAppended(records.Count);
        return [.. records.Select(r => r.Sequence)];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            await RollBackAsync().ConfigureAwait(false);
        }
    }

    private List<AuditEventRecord> Link(AuditKey key, long sequence, string previous)
    {
        var records = new List<AuditEventRecord>(_staged.Count);
        foreach (var staged in _staged)
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

        return records;
    }

    private async Task RollBackAsync()
    {
        _finished = true;
        try
        {
            await _transaction.RollbackAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // The connection or transaction is already gone; the database discards what was not committed.
        }
        finally
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);

            // Entities the action saved inside the transaction are tracked as saved; they were not.
            _db.ChangeTracker.Clear();
        }
    }

    private void ThrowIfFinished() => ObjectDisposedException.ThrowIf(_finished, this);
}
