using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Tests;

/// <summary>
/// A writer that finds SQLite's write lock taken waits in <see cref="SqliteTuning"/>'s busy handler: it gets the lock
/// once the holder commits, and past the timeout it fails with SQLITE_BUSY, as it did with <c>busy_timeout</c>;
/// it never hangs. Times here are only generous bounds: how promptly the lock is handed over is a benchmark's
/// question (docs/benchmarks.md), not a test's.
/// </summary>
public sealed class SqliteLockHandOverTests : IAsyncLifetime
{
    private const string Write = "INSERT INTO \"Leases\" (\"Name\", \"Holder\", \"ExpiresAt\") VALUES ({0}, 'probe', 0)";
    private readonly SqliteStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task TheStoresSqliteLibrary_TakesThePromptHandler_InsteadOfBusyTimeout()
    {
        await using var db = _store.NewContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";

        var busyTimeout = await command.ExecuteScalarAsync();

        Assert.True(SqliteTuning.PromptHandOver, "sqlite3_busy_handler was not found in the library SQLitePCLRaw loaded.");
        // Installing a handler clears busy_timeout (they replace each other): 0 shows nothing set it after the handler.
        Assert.Equal(0L, busyTimeout);
    }

    [Fact]
    public async Task AWriterBlockedByAnOpenChange_WritesOnceTheChangeCommits()
    {
        await using var holder = _store.NewContext();
        var change = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlRawAsync(Write, "held");

        await using var waiter = _store.NewContext();
        var writing = Task.Run(() => waiter.Database.ExecuteSqlRawAsync(Write, "waited"));
        await Task.Delay(500);
        Assert.False(writing.IsCompleted, "The second writer did not wait for the lock.");

        await change.CommitAsync();
        await change.DisposeAsync();
        Assert.Equal(1, await writing.WaitAsync(TimeSpan.FromSeconds(10)));

        await using var db = _store.NewContext();
        Assert.Equal(["held", "waited"], await db.Leases.Where(l => l.Holder == "probe").Select(l => l.Name).Order().ToListAsync());
    }

    [Fact]
    public async Task AWriterBlockedPastTheTimeout_FailsWithSqliteBusy()
    {
        await using var holder = _store.NewContext();
        await using var change = await holder.Database.BeginTransactionAsync();

        // A handler that waits 1.5 s, and Microsoft.Data.Sqlite's own retries stopping after a second (its command
        // timeout, "Default Timeout"), instead of 5 s and 30 s.
        var options = new DbContextOptionsBuilder<SqliteCredentialBotDbContext>()
            .UseSqlite(_store.ConnectionString + ";Default Timeout=1")
            .AddInterceptors(new SqliteTuning(TimeSpan.FromMilliseconds(1_500)));
        await using var waiter = new SqliteCredentialBotDbContext(options.Options);
        var clock = Stopwatch.StartNew();

        var busy = await Assert.ThrowsAsync<SqliteException>(() => waiter.Database.ExecuteSqlRawAsync(Write, "too late"));

        Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY
        // At least the handler's 1.5 s: SQLite itself waited (the library alone would have given up after 1 s).
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));
    }
}
