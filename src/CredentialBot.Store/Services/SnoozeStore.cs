using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Paused expiry notices, per credential.</summary>
public sealed class SnoozeStore(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Pauses notices for these credentials until <paramref name="until"/>; a later snooze replaces an earlier one. One
    /// <c>INSERT … ON CONFLICT DO UPDATE</c> per credential (the same SQL on SQLite and PostgreSQL), so owners pausing the
    /// same credential at once, from one card sent to each of them, all succeed; in a fixed order, so two transactions
    /// pausing overlapping credentials wait for each other instead of deadlocking.
    /// </summary>
    public async Task SnoozeAsync(string appObjectId, IReadOnlyCollection<string> credentialKeyIds, DateTimeOffset until, string byObjectId, string? byName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentialKeyIds);
        // Times are stored as UTC ticks (the model's converter), which raw SQL has to do itself.
        var (untilTicks, at) = (until.UtcTicks, time.GetUtcNow().UtcTicks);
        foreach (var key in credentialKeyIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO "CredentialSnoozes" ("AppObjectId", "CredentialKeyId", "Until", "ByObjectId", "ByName", "At")
                VALUES ({appObjectId}, {key}, {untilTicks}, {byObjectId}, {byName}, {at})
                ON CONFLICT ("AppObjectId", "CredentialKeyId") DO UPDATE SET
                    "Until" = excluded."Until", "ByObjectId" = excluded."ByObjectId", "ByName" = excluded."ByName", "At" = excluded."At"
                """,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The snoozes still in force for these Apps.</summary>
    public async Task<IReadOnlyList<CredentialSnoozeRecord>> ActiveForAsync(IReadOnlyCollection<string> appObjectIds, CancellationToken cancellationToken = default)
    {
        var ids = appObjectIds.ToList();
        var now = time.GetUtcNow();
        return await db.CredentialSnoozes.AsNoTracking().Where(s => EF.Parameter(ids).Contains(s.AppObjectId) && s.Until > now)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
