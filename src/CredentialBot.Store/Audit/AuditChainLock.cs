using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Audit;

/// <summary>
/// Serialises linking: whoever holds the lock reads the chain's head and appends after it, and nobody else can until
/// that transaction ends. SQLite: the change's transaction began with <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's
/// default for <c>BeginTransaction</c>), so it holds the database's write lock already. PostgreSQL: the state row is
/// locked <c>FOR UPDATE</c>; a second appender waits there until the first commits or rolls back, then reads the new
/// head (READ COMMITTED takes a fresh snapshot per statement).
/// </summary>
internal static class AuditChainLock
{
    /// <summary>SQLite's read of the state row, compiled once: every audited action takes the lock.</summary>
    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, CancellationToken, Task<AuditChainStateRecord?>>> State = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, CancellationToken _) =>
            context.AuditChainState.AsNoTracking().SingleOrDefault(s => s.Id == AuditChainStateRecord.SingletonId)));

    public static async Task<AuditChainStateRecord> LockStateAsync(CredentialBotDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The audit chain can only be locked inside a transaction.");
        }

        var state = db.Database.IsNpgsql()
            ? (await db.AuditChainState.FromSqlRaw("SELECT * FROM \"AuditChainState\" WHERE \"Id\" = 1 FOR UPDATE").AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).SingleOrDefault()
            : await State.For(db)(db, cancellationToken).ConfigureAwait(false);
        return state ?? throw new InvalidOperationException(
            "The audit chain's state row (AuditChainState, Id 1) is missing, so nothing can be audited: the store was tampered with or not migrated. Run verify-audit.");
    }
}
