using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>A scheduled removal of an old secret, as cards and the janitor see it.</summary>
public sealed record SecretRemoval(long Id, string AppObjectId, AppKind AppKind, string KeyId, string? CredentialName, DateTimeOffset DueAt, string RequestedByObjectId, string? RequestedByName, SecretRemovalStatus Status);

/// <summary>Old secrets to remove after a rotation's grace period. Each row is finished once (conditional update).</summary>
public sealed class SecretRemovalStore(CredentialBotDbContext db)
{
    /// <summary>Schedules (or re-schedules) the removal of one secret.</summary>
    public async Task ScheduleAsync(string appObjectId, AppKind kind, string keyId, string? credentialName, DateTimeOffset dueAt, string byObjectId, string? byName, CancellationToken cancellationToken = default)
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
        row.Status = SecretRemovalStatus.Scheduled;
        row.DoneAt = null;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SecretRemoval>> ScheduledForAsync(string appObjectId, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.AsNoTracking().Where(r => r.AppObjectId == appObjectId && r.Status == SecretRemovalStatus.Scheduled)
            .Select(r => new SecretRemoval(r.Id, r.AppObjectId, r.AppKind, r.KeyId, r.CredentialName, r.DueAt, r.RequestedByObjectId, r.RequestedByName, r.Status))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Up to <paramref name="max"/> removals due at <paramref name="now"/>, in id order after <paramref name="afterId"/>:
    /// a caller pages through all of them by passing the last id it got, and a removal it could not finish (Entra
    /// refused it) never hides the ones behind it.
    /// </summary>
    public async Task<IReadOnlyList<SecretRemoval>> DueAsync(DateTimeOffset now, int max, long afterId = 0, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.AsNoTracking().Where(r => r.Status == SecretRemovalStatus.Scheduled && r.DueAt <= now && r.Id > afterId)
            .OrderBy(r => r.Id).Take(max)
            .Select(r => new SecretRemoval(r.Id, r.AppObjectId, r.AppKind, r.KeyId, r.CredentialName, r.DueAt, r.RequestedByObjectId, r.RequestedByName, r.Status))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Finishes a scheduled removal; false when it was no longer scheduled (cancelled or done elsewhere).</summary>
    public async Task<bool> FinishAsync(long id, SecretRemovalStatus outcome, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await db.SecretRemovals.Where(r => r.Id == id && r.Status == SecretRemovalStatus.Scheduled)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, outcome).SetProperty(r => r.DoneAt, now), cancellationToken).ConfigureAwait(false) == 1;
}
