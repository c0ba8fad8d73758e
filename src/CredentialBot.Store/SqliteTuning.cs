using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CredentialBot.Store;

/// <summary>
/// Per-connection SQLite settings, applied when EF Core opens a connection whose native handle has not had them yet.
/// Microsoft.Data.Sqlite pools the handles and each keeps its settings, so a handle gets the pragmas once, not on each of
/// the several opens a request makes (each a command of three statements to prepare and run).
/// <list type="bullet">
/// <item><c>synchronous=NORMAL</c>: with the WAL journal this still survives a killed process (the crash tests kill
/// one); only an operating-system crash or power cut can lose the last commits, never corrupt the file. It saves an
/// fsync per commit, and a scan commits every batch.</item>
/// <item><c>cache_size</c> of 64 MB instead of 2 MB: the snapshot's keys are GUIDs, so inserts land all over each
/// index, and a small cache re-reads the same pages from the file for every batch.</item>
/// <item><c>wal_autocheckpoint</c> of 16,384 pages (64 MB) instead of 1,000: a scan batch dirties pages all over the
/// indexes, and each checkpoint copies them back into the database file; checkpointing less often copies a page once
/// for many batches. Benchmark (a) went from 31 s to 21 s with these settings (docs/benchmarks.md).</item>
/// <item>A busy handler, installed at every open (a native call that allocates nothing), that waits up to 5 s for the
/// write lock, trying again every millisecond. Without any, SQLite answers SQLITE_BUSY at once and
/// Microsoft.Data.Sqlite retries after a fixed <c>Thread.Sleep(150)</c> (holding a thread-pool thread), so every
/// collision cost at least 150 ms: in P5 a third of the send-slot reservations took ≥ 140 ms. <c>PRAGMA
/// busy_timeout</c> (used before this) installs SQLite's default handler, which sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25,
/// 50, 50, 100 ms between tries: a writer that came second may sleep tens of milliseconds while the lock lies free, and
/// a writer holds a thread-pool thread the whole time (docs/benchmarks.md, issue 18). SQLitePCLRaw does not wrap
/// <c>sqlite3_busy_handler</c>, so it is called in the native library SQLitePCLRaw loaded; where that library or
/// function cannot be found, <c>busy_timeout</c> is set as before. A handler and <c>busy_timeout</c> replace each
/// other, so the pragma must not be set after the handler. Past the timeout the statement gets SQLITE_BUSY, and
/// Microsoft.Data.Sqlite's own retry goes on to the command timeout, as before.</item>
/// </list>
/// </summary>
internal sealed class SqliteTuning : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=16384;";

    /// <summary>How long a writer waits for the lock before SQLite answers SQLITE_BUSY.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// SQLite's <c>int sqlite3_busy_handler(sqlite3*, int(*)(void*, int), void*)</c>, or null where not found; looked up
    /// once a connection has opened, when SQLitePCLRaw's provider is set.
    /// </summary>
    private static readonly Lazy<SetBusyHandler?> InstallHandler = new(FindBusyHandlerSetter);

    // The native library keeps only a pointer to the callback: the delegate must live as long as the process.
    private static readonly BusyHandler Handler = OnBusy;
    private static readonly IntPtr HandlerPointer = Marshal.GetFunctionPointerForDelegate(Handler);

    /// <summary>When the current wait for the lock began; the handler runs on the thread stepping the statement.</summary>
    [ThreadStatic]
    private static long _waitStarted;

    /// <summary>The native handles that have had the pragmas; a handle closed for good drops out with its object.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Tuned = [];

    private static readonly object Seen = new();

    private readonly TimeSpan _busyTimeout;

    public SqliteTuning()
        : this(DefaultBusyTimeout)
    {
    }

    /// <summary>A shorter <paramref name="busyTimeout"/> lets a test see a lock held past it fail.</summary>
    public SqliteTuning(TimeSpan busyTimeout) => _busyTimeout = busyTimeout;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr state, int count);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetBusyHandler(IntPtr db, IntPtr handler, IntPtr state);

    /// <summary>Whether the prompt handler is in use (false: the library was not found, and busy_timeout stands in).</summary>
    public static bool PromptHandOver => InstallHandler.Value is not null;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var wait = WaitSetting(connection);
        if (HasBeenTuned(connection, out var handle))
        {
            return;
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas + wait;
            command.ExecuteNonQuery();
        }

        MarkTuned(handle);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var wait = WaitSetting(connection);
        if (HasBeenTuned(connection, out var handle))
        {
            return;
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas + wait;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        MarkTuned(handle);
    }

    private static bool HasBeenTuned(DbConnection connection, out SQLitePCL.sqlite3? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is not null && Tuned.TryGetValue(handle, out _);
    }

    /// <summary>Marked only once the pragmas ran, so a handle whose pragmas failed gets them at its next open.</summary>
    private static void MarkTuned(SQLitePCL.sqlite3? handle)
    {
        if (handle is not null)
        {
            Tuned.AddOrUpdate(handle, Seen);
        }
    }

    /// <summary>Installs the handler on <paramref name="connection"/>, or returns the pragma that stands in for it.</summary>
    private string WaitSetting(DbConnection connection)
    {
        var milliseconds = (long)_busyTimeout.TotalMilliseconds;
        if (InstallHandler.Value is not { } install || connection is not SqliteConnection { Handle: { } handle })
        {
            return FormattableString.Invariant($" PRAGMA busy_timeout={milliseconds};");
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            // The state pointer carries the timeout in milliseconds: nothing to allocate, pin or free per connection.
            install(handle.DangerousGetHandle(), HandlerPointer, checked((IntPtr)milliseconds));
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return string.Empty;
    }

    /// <summary>
    /// Called by SQLite while the lock is taken; <paramref name="count"/> is how often it was called before for this
    /// same wait (0 when a wait begins). Returns 1 to try again, 0 to give up with SQLITE_BUSY. The first retry only
    /// yields (the holder is usually mid-statement and about to commit); later ones sleep a millisecond, so a freed
    /// lock is taken within about a millisecond and a waiter does not spin on a CPU the holder needs.
    /// </summary>
    private static int OnBusy(IntPtr state, int count)
    {
        var now = Stopwatch.GetTimestamp();
        if (count == 0)
        {
            _waitStarted = now;
            Thread.Yield();
            return 1;
        }

        if (Stopwatch.GetElapsedTime(_waitStarted, now).TotalMilliseconds >= (long)state)
        {
            return 0;
        }

        Thread.Sleep(1);
        return 1;
    }

    private static SetBusyHandler? FindBusyHandlerSetter()
    {
        try
        {
            // The library SQLitePCLRaw's provider loaded (by the name it uses); loading it again returns the same one.
            return NativeLibrary.TryLoad(SQLitePCL.raw.GetNativeLibraryName(), typeof(SQLitePCL.raw).Assembly, null, out var library)
                && NativeLibrary.TryGetExport(library, "sqlite3_busy_handler", out var function)
                ? Marshal.GetDelegateForFunctionPointer<SetBusyHandler>(function)
                : null;
        }
#pragma warning disable CA1031 // Any failure to find it means the busy_timeout pragma, which works everywhere.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
