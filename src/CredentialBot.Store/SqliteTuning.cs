using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CredentialBot.Store;

/// <summary>
/// Per-connection SQLite settings, applied each time EF Core opens a connection (pooled connections keep them, and
/// setting them again costs microseconds).
/// <list type="bullet">
/// <item><c>synchronous=NORMAL</c>: with the WAL journal this still survives a killed process (the crash tests kill
/// one); only an operating-system crash or power cut can lose the last commits, never corrupt the file. It saves an
/// fsync per commit, and a scan commits every batch.</item>
/// <item><c>cache_size</c> of 64 MB instead of 2 MB: the snapshot's keys are GUIDs, so inserts land all over each
/// index, and a small cache re-reads the same pages from the file for every batch.</item>
/// <item><c>wal_autocheckpoint</c> of 16,384 pages (64 MB) instead of 1,000: a scan batch dirties pages all over the
/// indexes, and each checkpoint copies them back into the database file; checkpointing less often copies a page once
/// for many batches. Benchmark (a) went from 31 s to 21 s with these settings (docs/benchmarks.md).</item>
/// <item><c>busy_timeout</c> of 5 s: a write that finds the write lock taken waits for it inside SQLite, which retries
/// after 1, 2, 5, 10 … ms. Without it, SQLite answers SQLITE_BUSY at once and Microsoft.Data.Sqlite retries after a
/// fixed <c>Thread.Sleep(150)</c> (holding a thread-pool thread), so every collision cost at least 150 ms: in P5 a
/// third of the send-slot reservations took ≥ 140 ms, and the invokes' own writes queued behind those sleeps
/// (docs/benchmarks.md). Past 5 s the library's own retry goes on to the command timeout, as before.</item>
/// </list>
/// </summary>
internal sealed class SqliteTuning : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=16384; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
