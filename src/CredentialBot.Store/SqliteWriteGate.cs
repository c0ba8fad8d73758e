using System.Data.Common;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CredentialBot.Store;

/// <summary>
/// SQLite has one writer at a time, and every transaction here takes the write lock when it begins (Microsoft.Data.Sqlite
/// begins with <c>BEGIN IMMEDIATE</c>). A second writer that finds the lock taken is retried by Microsoft.Data.Sqlite
/// with a blocking <c>Thread.Sleep(150)</c> until its command timeout: under fifty people clicking at once, writers
/// sleep in 150 ms steps, out of order, each holding a thread-pool thread, and every request slows down with them
/// (issue 18.2). So within this process a transaction first waits here, asynchronously and first come first served,
/// and begins only when no other transaction of this process holds the lock. Writers in other processes (a CLI verb,
/// a second instance) still meet SQLite's own lock and the driver's retry.
/// </summary>
/// <remarks>
/// The gate is released when the transaction commits, rolls back or fails, and in any case when its connection closes
/// (<see cref="SqliteTuning"/>), so a transaction disposed without either never keeps it. A wait longer than
/// <see cref="MaximumWait"/> (code holding a transaction while another context of the same flow writes) stops waiting
/// here and is left to SQLite, as it was before this gate.
/// </remarks>
internal sealed class SqliteWriteGate : DbTransactionInterceptor, IDisposable
{
    /// <summary>As long as the driver's default command timeout: never longer than SQLite itself would have waited.</summary>
    public static readonly TimeSpan MaximumWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    // EF Core's id of each connection (stable across its opening and closing) whose transaction holds the gate.
    private readonly ConcurrentDictionary<Guid, bool> _holders = new();

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (_gate.Wait(MaximumWait))
        {
            _holders[eventData.ConnectionId] = true;
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (await _gate.WaitAsync(MaximumWait, cancellationToken).ConfigureAwait(false))
        {
            _holders[eventData.ConnectionId] = true;
        }

        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData?.ConnectionId);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData?.ConnectionId);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData?.ConnectionId);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData?.ConnectionId);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(eventData?.ConnectionId);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData?.ConnectionId);
        return Task.CompletedTask;
    }

    /// <summary>Lets the next writer in when the connection <paramref name="connectionId"/> held the gate; otherwise nothing.</summary>
    public void Release(Guid? connectionId)
    {
        if (connectionId is { } id && _holders.TryRemove(id, out _))
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
