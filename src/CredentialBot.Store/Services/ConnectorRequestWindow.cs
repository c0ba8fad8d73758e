using CredentialBot.Store.Entities;
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
/// transaction lock on PostgreSQL, SQLite's write lock).
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

    /// <summary>Admits one request if fewer than <paramref name="limit"/> are counted for the tenant, or says how long to wait.</summary>
    public async Task<ConnectorRequestAdmission> TryStartAsync(string? tenant, int limit, CancellationToken cancellationToken = default)
    {
        var key = tenant ?? string.Empty;
        if (db.Database.IsNpgsql())
        {
            return await db.RetryingAsync(ct => TryStartOnPostgresAsync(key, limit, ct), cancellationToken).ConfigureAwait(false);
        }

        return await db.InTransactionAsync(
            async ct =>
            {
                // SQLite's transaction began with the write lock (BEGIN IMMEDIATE), so admissions are one at a time.
                var now = time.GetUtcNow();
                var endedBefore = now - Window;
                var startedBefore = now - InFlightAtMost;
                await db.ConnectorRequests
                    .Where(r => r.Tenant == key && (r.EndedAt < endedBefore || (r.EndedAt == null && r.StartedAt < startedBefore)))
                    .ExecuteDeleteAsync(ct).ConfigureAwait(false);
                var counted = await db.ConnectorRequests.Where(r => r.Tenant == key).Select(r => r.EndedAt).ToListAsync(ct).ConfigureAwait(false);
                if (counted.Count >= limit)
                {
                    return Refused(now, counted.Where(e => e is not null).Min());
                }

                var request = new ConnectorRequestRecord { Tenant = key, StartedAt = now };
                db.ConnectorRequests.Add(request);
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                db.ChangeTracker.Clear();
                return new ConnectorRequestAdmission(request.Id, TimeSpan.Zero);
            },
            cancellationToken).ConfigureAwait(false);
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

        var now = time.GetUtcNow();
        await db.RetryingAsync(
            ct => db.ConnectorRequests.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.EndedAt, now), ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The earliest a counted request leaves the window, or a short wait when all are still in flight.</summary>
    private static ConnectorRequestAdmission Refused(DateTimeOffset now, DateTimeOffset? firstEnded) =>
        new(null, firstEnded is { } ended && ended + Window >= now ? ended + Window - now + TimeSpan.FromMilliseconds(1) : AllInFlightRetry);

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
