using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Rotations whose new credential is watched until first used; each is marked used (or closed) once.</summary>
public sealed class RotationReceiptStore(CredentialBotDbContext db)
{
    /// <summary>Starts watching a new credential; a second call for the same credential changes nothing.</summary>
    public async Task WatchAsync(string appObjectId, AppKind kind, string newKeyId, string? credentialName, DateTimeOffset rotatedAt, string byObjectId, string? byName, string? card, CancellationToken cancellationToken = default)
    {
        if (await db.RotationReceipts.AnyAsync(r => r.AppObjectId == appObjectId && r.NewKeyId == newKeyId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        db.RotationReceipts.Add(new RotationReceiptRecord
        {
            AppObjectId = appObjectId,
            AppKind = kind,
            NewKeyId = newKeyId,
            CredentialName = credentialName,
            RotatedAt = rotatedAt,
            RotatedByObjectId = byObjectId,
            RotatedByName = byName,
            Card = card,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Up to <paramref name="max"/> receipts still waiting, in id order after <paramref name="afterId"/> (a caller pages with the last id it got).</summary>
    public async Task<IReadOnlyList<RotationReceipt>> WaitingAsync(int max, long afterId = 0, CancellationToken cancellationToken = default) =>
        await db.RotationReceipts.AsNoTracking().Where(r => r.FirstUsedAt == null && r.ClosedAt == null && r.Id > afterId)
            .OrderBy(r => r.Id).Take(max)
            .Select(r => new RotationReceipt(r.Id, r.AppObjectId, r.AppKind, r.NewKeyId, r.CredentialName, r.RotatedAt, r.RotatedByObjectId, r.RotatedByName, r.Card))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Records the first use; false when another round (or instance) already did, so the caller tells nobody.</summary>
    public async Task<bool> MarkFirstUsedAsync(long id, DateTimeOffset firstUsedAt, CancellationToken cancellationToken = default) =>
        await db.RotationReceipts.Where(r => r.Id == id && r.FirstUsedAt == null && r.ClosedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.FirstUsedAt, firstUsedAt), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Stops watching (the credential left the App); false when it was no longer waiting.</summary>
    public async Task<bool> CloseAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.RotationReceipts.Where(r => r.Id == id && r.FirstUsedAt == null && r.ClosedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ClosedAt, now), cancellationToken).ConfigureAwait(false) == 1;
}
