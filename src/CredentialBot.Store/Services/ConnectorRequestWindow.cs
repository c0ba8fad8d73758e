using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CredentialBot.Store.Services;

/// <summary>
/// The hard limit on a tenant's requests to the Bot Connector, on any number of instances. A request is counted from
/// its admission (before it is sent) until one window after its answer came back (after it arrived): a new request is
/// admitted only while fewer than the limit are counted. Then no window at the Connector can see more than the limit,
/// however late each request arrives: of the requests that arrive in one window, the last one admitted was admitted
/// while every other was still in flight or had ended less than a window before, so all of them were counted.
/// (Spacing sends evenly, <see cref="SendBudget"/>, keeps this from binding in normal running; on a stalled machine
/// requests sent on time arrived together, and only this holds then.)
/// Times come from one clock: PostgreSQL's (instances on several machines need not agree), or on SQLite, which is one
/// machine's file, the store's <see cref="TimeProvider"/>. Admissions are serialized per tenant (an advisory
/// transaction lock on PostgreSQL, SQLite's write lock, taken by the one statement an admission is).
/// </summary>
public sealed class ConnectorRequestWindow(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>Teams counts requests per second.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A request not marked ended after this is taken as ended (its process died; the Connector client itself gives up
    /// after 30 seconds), so a killed instance costs a few requests of budget for a minute, not forever.
    /// </summary>
    public static readonly TimeSpan InFlightAtMost = TimeSpan.FromMinutes(1);

    /// <summary>When every counted request is still in flight there is no time to wait for; ask again after this.</summary>
    private static readonly TimeSpan AllInFlightRetry = TimeSpan.FromMilliseconds(50);

    /// <summary>UTC ticks on the PostgreSQL server's clock, as the model stores times.</summary>
    private const string PostgresNowTicks = "((extract(epoch from clock_timestamp()) * 10000000)::bigint + 621355968000000000)";

    private const string PostgresEnd = "UPDATE \"ConnectorRequests\" SET \"EndedAt\" = " + PostgresNowTicks + " WHERE \"Id\" = {0}";

    /// <summary>
    /// PostgreSQL's admission, one statement after the tenant's lock: the lock and it go as one batch, which PostgreSQL
    /// runs as one implicit transaction, so the lock is held for a single round trip (admissions are serialized, and
    /// one that took several round trips under the lock would cap the rate of all instances together).
    /// </summary>
    private const string PostgresAdmit = """
        WITH clock AS (SELECT
        """ + PostgresNowTicks + """
         AS now),
        gone AS (
            DELETE FROM "ConnectorRequests" r USING clock
            WHERE r."Tenant" = $1 AND (r."EndedAt" < clock.now - $3 OR (r."EndedAt" IS NULL AND r."StartedAt" < clock.now - $4))
            RETURNING r."Id"),
        counted AS (
            SELECT count(*) AS n, min(r."EndedAt") AS first_end FROM "ConnectorRequests" r
            WHERE r."Tenant" = $1 AND r."Id" NOT IN (SELECT "Id" FROM gone)),
        admitted AS (
            INSERT INTO "ConnectorRequests" ("Tenant", "StartedAt")
            SELECT $1, clock.now FROM clock, counted WHERE counted.n < $2
            RETURNING "Id")
        SELECT (SELECT "Id" FROM admitted), clock.now, counted.first_end FROM clock, counted
        """;

    /// <summary>
    /// SQLite's admission, one statement: it inserts the request only while fewer than the limit are counted, so the
    /// write lock is taken once, for one statement, with nothing awaited while it is held. The count and the insert
    /// cannot be split by another admission: a write statement runs in a write transaction of its own (committed when
    /// it finishes), SQLite has one writer at a time and its transactions are serializable, and in WAL mode a statement
    /// whose snapshot went stale before it could write fails with SQLITE_BUSY instead of writing
    /// (sqlite.org/lang_transaction.html, "Read transactions versus write transactions"; sqlite.org/isolation.html).
    /// Rows that stopped counting are left for <see cref="SqlitePurge"/>.
    /// </summary>
    private const string SqliteAdmit = """
        INSERT INTO "ConnectorRequests" ("Tenant", "StartedAt")
        SELECT @tenant, @now
        WHERE (SELECT count(*) FROM "ConnectorRequests"
               WHERE "Tenant" = @tenant AND ("EndedAt" >= @endedSince OR ("EndedAt" IS NULL AND "StartedAt" >= @startedSince))) < @limit
        RETURNING "Id"
        """;

    /// <summary>A refused admission's wait: the first counted request to end leaves the window first (a read, no lock).</summary>
    private const string SqliteFirstEnd = """
        SELECT min("EndedAt") FROM "ConnectorRequests" WHERE "Tenant" = @tenant AND "EndedAt" >= @endedSince
        """;

    /// <summary>Every tenant's rows that no longer count (the table is only ever as large as the last few seconds).</summary>
    private const string SqlitePurge = """
        DELETE FROM "ConnectorRequests" WHERE "EndedAt" < @endedSince OR ("EndedAt" IS NULL AND "StartedAt" < @startedSince)
        """;

    private const string SqliteEnd = """UPDATE "ConnectorRequests" SET "EndedAt" = @now WHERE "Id" = @id""";

    /// <summary>
    /// On SQLite the admission whose id is a multiple of this also purges: one admission in 32 pays for a second
    /// statement, and between purges the table grows by at most this many rows. Ids come from one sequence (the
    /// table's AUTOINCREMENT key, never reused) for every process on the file, so this holds however many admit.
    /// </summary>
    internal const int SqlitePurgeEvery = 32;

    /// <summary>Admits one request if fewer than <paramref name="limit"/> are counted for the tenant, or says how long to wait.</summary>
    public async Task<ConnectorRequestAdmission> TryStartAsync(string? tenant, int limit, CancellationToken cancellationToken = default)
    {
        var key = tenant ?? string.Empty;
        if (db.Database.IsNpgsql())
        {
            return await db.RetryingAsync(ct => TryStartOnPostgresAsync(key, limit, ct), cancellationToken).ConfigureAwait(false);
        }

        return await db.RetryingAsync(ct => TryStartOnSqliteAsync(key, limit, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks request <paramref name="id"/> answered (or failed): it stays counted for one more window.</summary>
    public async Task EndAsync(long id, CancellationToken cancellationToken = default)
    {
        if (db.Database.IsNpgsql())
        {
            await db.RetryingAsync(
                ct => db.Database.ExecuteSqlRawAsync(PostgresEnd, [id], ct),
                cancellationToken).ConfigureAwait(false);
            return;
        }

        await db.RetryingAsync(
            ct => OnSqliteAsync(SqliteEnd, [("@id", id), ("@now", time.GetUtcNow().UtcTicks)], ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The earliest a counted request leaves the window, or a short wait when all are still in flight.</summary>
    private static ConnectorRequestAdmission Refused(DateTimeOffset now, DateTimeOffset? firstEnded) =>
        new(null, firstEnded is { } ended && ended + Window >= now ? ended + Window - now + TimeSpan.FromMilliseconds(1) : AllInFlightRetry);

    private async Task<ConnectorRequestAdmission> TryStartOnSqliteAsync(string key, int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var endedSince = (now - Window).UtcTicks;
        var startedSince = (now - InFlightAtMost).UtcTicks;
        var admitted = await OnSqliteAsync(
            SqliteAdmit,
            [("@tenant", key), ("@now", now.UtcTicks), ("@endedSince", endedSince), ("@startedSince", startedSince), ("@limit", (long)limit)],
            cancellationToken).ConfigureAwait(false);
        if (admitted is long id)
        {
            if (id % SqlitePurgeEvery == 0)
            {
                await OnSqliteAsync(SqlitePurge, [("@endedSince", endedSince), ("@startedSince", startedSince)], cancellationToken).ConfigureAwait(false);
            }

            return new ConnectorRequestAdmission(id, TimeSpan.Zero);
        }

        // Not under the lock any more: a request may have ended since, stamped after `now`, so the wait is measured
        // from a clock read after the statement that saw it.
        var firstEnded = await OnSqliteAsync(SqliteFirstEnd, [("@tenant", key), ("@endedSince", (time.GetUtcNow() - Window).UtcTicks)], cancellationToken).ConfigureAwait(false);
        return Refused(time.GetUtcNow(), firstEnded is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null);
    }

    /// <summary>
    /// One statement on the context's connection, past EF Core's query pipeline (these run for every Connector request;
    /// the connection is still opened through EF Core, so <see cref="SqliteTuning"/> applies). Returns the first
    /// column of the first row, or null.
    /// </summary>
    private async Task<object?> OnSqliteAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = db.CreateCommand(sql);
            foreach (var (name, value) in parameters)
            {
                command.AddParameter(name, value);
            }

            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return result is DBNull ? null : result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private async Task<ConnectorRequestAdmission> TryStartOnPostgresAsync(string key, int limit, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))") { Parameters = { new() { Value = "connector-requests:" + key } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgresAdmit)
            {
                Parameters = { new() { Value = key }, new() { Value = (long)limit }, new() { Value = Window.Ticks }, new() { Value = InFlightAtMost.Ticks } },
            });
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var now = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
            if (!await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false))
            {
                return new ConnectorRequestAdmission(reader.GetInt64(0), TimeSpan.Zero);
            }

            var firstEnded = await reader.IsDBNullAsync(2, cancellationToken).ConfigureAwait(false) ? (DateTimeOffset?)null : new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero);
            return Refused(now, firstEnded);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
