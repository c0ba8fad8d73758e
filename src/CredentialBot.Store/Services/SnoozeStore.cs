using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Paused expiry notices, per credential.</summary>
public sealed class SnoozeStore(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>Pauses notices for these credentials until <paramref name="until"/>; a later snooze replaces an earlier one.</summary>
    public async Task SnoozeAsync(string appObjectId, IReadOnlyCollection<string> credentialKeyIds, DateTimeOffset until, string byObjectId, string? byName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentialKeyIds);
        var keys = credentialKeyIds.ToList();
        var existing = await db.CredentialSnoozes.Where(s => s.AppObjectId == appObjectId && keys.Contains(s.CredentialKeyId))
            .ToDictionaryAsync(s => s.CredentialKeyId, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (!existing.TryGetValue(key, out var row))
            {
                row = new CredentialSnoozeRecord { AppObjectId = appObjectId, CredentialKeyId = key, ByObjectId = byObjectId };
                db.CredentialSnoozes.Add(row);
            }

            row.Until = until;
            row.ByObjectId = byObjectId;
            row.ByName = byName;
            row.At = now;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
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
