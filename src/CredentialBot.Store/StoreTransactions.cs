using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store;

/// <summary>
/// Transactions that survive a database restart: the work and its transaction run through the provider's execution
/// strategy, so after a transient failure (PostgreSQL restarted, failed over, dropped the connection) the whole unit
/// runs again on a fresh connection. The work must therefore read what it needs inside, and not depend on side
/// effects of an earlier attempt; entities an earlier attempt tracked are cleared first.
/// Inside a transaction the caller already began, the work simply joins it (no retry: that transaction is the
/// caller's unit).
/// </summary>
public static class StoreTransactions
{
    public static async Task<T> InTransactionAsync<T>(this CredentialBotDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        if (db.Database.CurrentTransaction is not null)
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }

        var attempt = 0;
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                if (attempt++ > 0)
                {
                    db.ChangeTracker.Clear();
                }

                await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
                var result = await work(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return result;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public static Task InTransactionAsync(this CredentialBotDbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return db.InTransactionAsync(
            async ct =>
            {
                await work(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Several reads that see the store at one moment, so what they read together is never half of someone's write:
    /// on SQLite a deferred transaction (it takes no lock; its first read fixes the snapshot it reads from), on
    /// PostgreSQL a <c>REPEATABLE READ</c> one. One connection serves them all. Inside a caller's transaction the reads
    /// simply join it. Retried as a unit after a transient failure, like <see cref="InTransactionAsync{T}"/>.
    /// </summary>
    public static async Task<T> InReadSnapshotAsync<T>(this CredentialBotDbContext db, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(read);
        if (db.Database.CurrentTransaction is not null)
        {
            return await read(cancellationToken).ConfigureAwait(false);
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                if (!db.Database.IsSqlite())
                {
                    await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
                    var result = await read(ct).ConfigureAwait(false);
                    await snapshot.CommitAsync(ct).ConfigureAwait(false);
                    return result;
                }

                await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
                try
                {
                    // EF Core begins SQLite transactions IMMEDIATE (taking the write lock); a read needs none.
                    await using var deferred = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
                    await using var snapshot = (await db.Database.UseTransactionAsync(deferred, ct).ConfigureAwait(false))!;
                    var result = await read(ct).ConfigureAwait(false);
                    await snapshot.CommitAsync(ct).ConfigureAwait(false);
                    return result;
                }
                finally
                {
                    await db.Database.CloseConnectionAsync().ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One statement or query, retried on its own after a transient failure (outside a caller's transaction).</summary>
    public static Task<T> RetryingAsync<T>(this CredentialBotDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.CreateExecutionStrategy().ExecuteAsync(work, cancellationToken);
    }
}
