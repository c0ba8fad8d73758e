using System.Linq.Expressions;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Old secrets to remove after a rotation's grace period. Each row is finished once (conditional update).</summary>
public sealed class SecretRemovalStore(CredentialBotDbContext db)
{
    /// <summary>A removal as it is read: in queries (translated to its columns) and, compiled, for a row just saved.</summary>
    private static readonly Expression<Func<SecretRemovalRecord, SecretRemoval>> AsRemoval = r =>
        new SecretRemoval(r.Id, r.AppObjectId, r.AppKind, r.KeyId, r.CredentialName, r.DueAt, r.RequestedByObjectId, r.RequestedByName, r.Status, r.AskedAt, r.LastUsedAt, r.RotatedAt);

    private static readonly Func<SecretRemovalRecord, SecretRemoval> ToRemoval = AsRemoval.Compile();

    /// <summary>Schedules (or re-schedules) the removal of one secret, replaced by a rotation at <paramref name="rotatedAt"/>.</summary>
    public async Task<SecretRemoval> ScheduleAsync(string appObjectId, AppKind kind, string keyId, string? credentialName, DateTimeOffset dueAt, string byObjectId, string? byName, DateTimeOffset rotatedAt, CancellationToken cancellationToken = default)
    {
        var row = await db.SecretRemovals.FirstOrDefaultAsync(r => r.AppObjectId == appObjectId && r.KeyId == keyId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new SecretRemovalRecord { AppObjectId = appObjectId, KeyId = keyId, RequestedByObjectId = byObjectId };
            db.SecretRemovals.Add(row);
        }

        row.AppKind = kind;
        row.CredentialName = credentialName;
        row.DueAt = dueAt;
        row.RequestedByObjectId = byObjectId;
        row.RequestedByName = byName;
        row.RotatedAt = rotatedAt;
        row.Status = SecretRemovalStatus.Scheduled;
        row.DoneAt = null;
        row.AskedAt = null;
        row.LastUsedAt = null;
        if (db.Entry(row).State != EntityState.Added)
        {
            // Every column is written: a row this context already tracked may have been changed since by a conditional
            // update (an owner asked, a removal finished), which the tracker never saw, so unchanged-looking values count.
            db.Entry(row).State = EntityState.Modified;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return ToRemoval(row);
    }

    public async Task<IReadOnlyList<SecretRemoval>> ScheduledForAsync(string appObjectId, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.AsNoTracking().Where(r => r.AppObjectId == appObjectId && r.Status == SecretRemovalStatus.Scheduled)
            .Select(AsRemoval)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Up to <paramref name="max"/> removals due at <paramref name="now"/>, in id order after <paramref name="afterId"/>:
    /// a caller pages through all of them by passing the last id it got, and a removal it could not finish (Entra
    /// refused it) never hides the ones behind it. Removals whose owners were asked (still used) are theirs, not due.
    /// </summary>
    public async Task<IReadOnlyList<SecretRemoval>> DueAsync(DateTimeOffset now, int max, long afterId = 0, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.AsNoTracking().Where(r => r.Status == SecretRemovalStatus.Scheduled && r.AskedAt == null && r.DueAt <= now && r.Id > afterId)
            .OrderBy(r => r.Id).Take(max)
            .Select(AsRemoval)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Finishes a scheduled removal; false when it was no longer scheduled (cancelled or done elsewhere).</summary>
    public async Task<bool> FinishAsync(long id, SecretRemovalStatus outcome, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.Where(r => r.Id == id && r.Status == SecretRemovalStatus.Scheduled)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, outcome).SetProperty(r => r.DoneAt, now), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// Marks a scheduled removal as waiting for its owners (the credential was still used at <paramref name="lastUsedAt"/>);
    /// false when it was no longer scheduled or already asked, so owners are asked once.
    /// </summary>
    public async Task<bool> AskAsync(long id, DateTimeOffset lastUsedAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.Where(r => r.Id == id && r.Status == SecretRemovalStatus.Scheduled && r.AskedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.AskedAt, now).SetProperty(r => r.LastUsedAt, lastUsedAt), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// An owner's "keep longer": the asked removal is due again at <paramref name="dueAt"/> and back with the janitor
    /// (which reads the usage again then); false when it was no longer waiting for its owners.
    /// </summary>
    public async Task<bool> PostponeAsync(long id, DateTimeOffset dueAt, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.Where(r => r.Id == id && r.Status == SecretRemovalStatus.Scheduled && r.AskedAt != null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.DueAt, dueAt).SetProperty(r => r.AskedAt, (DateTimeOffset?)null), cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>The removal of <paramref name="keyId"/> of an App, whatever its state; null when none was ever scheduled.</summary>
    public async Task<SecretRemoval?> FindAsync(string appObjectId, string keyId, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.AsNoTracking().Where(r => r.AppObjectId == appObjectId && r.KeyId == keyId)
            .Select(AsRemoval)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
}
