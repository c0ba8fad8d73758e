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

    /// <summary>One statement or query, retried on its own after a transient failure (outside a caller's transaction).</summary>
    public static Task<T> RetryingAsync<T>(this CredentialBotDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.CreateExecutionStrategy().ExecuteAsync(work, cancellationToken);
    }
}
