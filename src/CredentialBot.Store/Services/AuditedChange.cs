using System.Security.Cryptography;
using System.Text;
using CredentialBot.Domain;
using CredentialBot.Store.Audit;
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
    private readonly List<long> _linked = [];
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
            throw new InvalidOperationException("A transaction is already open on this scope's store: audit inside it (AuditLog.AppendAsync joins it) instead of opening another change.");
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
    /// commits; the events' sequences (those appended through <see cref="AuditLog.AppendAsync"/> while the change was
    /// open first). On any failure everything is rolled back and the exception is thrown.
    /// </summary>
    public async Task<IReadOnlyList<long>> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        if (_staged.Count == 0 && _linked.Count == 0)
        {
            throw new InvalidOperationException("An audited change needs its audit event: call Audit before CommitAsync.");
        }

        IReadOnlyList<long> sequences;
        try
        {
            sequences = _staged.Count == 0 ? [] : await AuditChainLinker.LinkAsync(_db, _chain, _staged, cancellationToken).ConfigureAwait(false);
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _finished = true;
        }
        catch
        {
            await RollBackAsync().ConfigureAwait(false);
            throw;
        }

        await _transaction.DisposeAsync().ConfigureAwait(false);
        _chain.NoteAppended(sequences.Count + _linked.Count);
        return [.. _linked, .. sequences];
    }

    /// <summary>
    /// Links one event now, inside this change (what <see cref="AuditLog.AppendAsync"/> does while the change is
    /// open): it commits or rolls back with the change. Holds the chain lock until then.
    /// </summary>
    internal async Task<long> LinkNowAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        var sequence = (await AuditChainLinker.LinkAsync(_db, _chain, [auditEvent], cancellationToken).ConfigureAwait(false))[0];
        _linked.Add(sequence);
        return sequence;
    }

    /// <summary>Whether this change is still open on its scope's store.</summary>
    internal bool IsOpen => !_finished;

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            await RollBackAsync().ConfigureAwait(false);
        }
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
