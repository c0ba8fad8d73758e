using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// A tenant's Teams send budget, shared by every instance through the store. Teams limits proactive messages per bot
/// per tenant (50 per second), not per process, so N instances pacing themselves would send N times the limit.
/// Each send reserves the next slot in one row per tenant: slots are <see cref="IntervalFor"/> apart whoever reserves
/// them, and the sender waits until its slot. Evenly spaced slots at (limit − 1) per second put at most the limit in
/// any one-second window however it is aligned (a window of length 1 s holds at most ⌊1 s / interval⌋ + 1 slots).
/// The reservation is one atomic upsert (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, the same SQL on PostgreSQL
/// and SQLite), so concurrent senders on any number of instances get distinct slots.
/// A slot is a time on the reserving instance's clock: instances must keep clocks in sync (NTP); the spacing leaves
/// room for about 1/(limit − 1) s of disagreement (20 ms at 50 per second) before a window could hold one more.
/// </summary>
public sealed class SendBudget(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// The spacing between slots for a limit of <paramref name="sendsPerSecond"/> in any one-second window:
    /// 1 s / (limit − 1), rounded up to whole ticks (rounding down could fit one slot too many). A window then holds
    /// the limit only when it starts exactly on a slot, and a send up to one interval late or early still keeps the
    /// next slot outside. A limit of one gets two seconds, by the same rule.
    /// </summary>
    public static TimeSpan IntervalFor(int sendsPerSecond) => sendsPerSecond <= 1
        ? TimeSpan.FromSeconds(2)
        : TimeSpan.FromTicks((TimeSpan.TicksPerSecond + sendsPerSecond - 2) / (sendsPerSecond - 1));

    /// <summary>
    /// Reserves the tenant's next send slot and returns it: send at that time (now or later, by the
    /// <see cref="TimeProvider"/> this store uses). A reservation that is not used (the send was cancelled) only leaves
    /// a gap.
    /// </summary>
    public async Task<DateTimeOffset> ReserveAsync(string? tenant, int sendsPerSecond, CancellationToken cancellationToken = default) =>
        await TryReserveWithinAsync(tenant, sendsPerSecond, TimeSpan.MaxValue, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("An unbounded reservation always gets a slot.");

    /// <summary>
    /// Reserves the tenant's next slot only when it is at most <paramref name="within"/> from now; null otherwise, and
    /// nothing is reserved. Slots are then never queued far ahead in the store: a request that gives up while it waits
    /// for a slot leaves at most <paramref name="within"/> of dead slots, instead of pushing every later request past
    /// its own timeout.
    /// </summary>
    public async Task<DateTimeOffset?> TryReserveWithinAsync(string? tenant, int sendsPerSecond, TimeSpan within, CancellationToken cancellationToken = default)
    {
        var interval = IntervalFor(sendsPerSecond).Ticks;
        var key = tenant ?? string.Empty;
        return await db.RetryingAsync(
            async ct =>
            {
                var now = time.GetUtcNow().UtcTicks;
                var first = now + interval;
                var latest = within == TimeSpan.MaxValue ? long.MaxValue : now + interval + within.Ticks;
                // The stored value is the next free slot; this reservation's slot is the value it returns minus one interval.
                var next = await db.Database.SqlQuery<long>(
                    $"""
                    INSERT INTO "SendBudgets" ("Tenant", "NextSlotAt") VALUES ({key}, {first})
                    ON CONFLICT ("Tenant") DO UPDATE
                    SET "NextSlotAt" = (CASE WHEN "SendBudgets"."NextSlotAt" > {now} THEN "SendBudgets"."NextSlotAt" ELSE {now} END) + {interval}
                    WHERE "SendBudgets"."NextSlotAt" <= {latest - interval}
                    RETURNING "NextSlotAt" AS "Value"
                    """).ToListAsync(ct).ConfigureAwait(false);
                return next.Count == 0 ? (DateTimeOffset?)null : new DateTimeOffset(next[0] - interval, TimeSpan.Zero);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
