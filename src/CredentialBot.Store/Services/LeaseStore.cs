using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Leases for single-leader work (the scanner) across instances: acquiring is one conditional UPDATE (taken
/// if free, expired, or already ours) or an INSERT that the primary key lets only one instance win.
/// </summary>
public sealed class LeaseStore(CredentialBotDbContext db, TimeProvider time)
{
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var expires = now + duration;
        var updated = await db.Leases
            .Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, expires), cancellationToken).ConfigureAwait(false);
        if (updated == 1)
        {
            return true;
        }

        if (await db.Leases.AnyAsync(l => l.Name == name, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        db.Leases.Add(new LeaseRecord { Name = name, Holder = holder, ExpiresAt = expires });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Gives the lease up early, if held.</summary>
    public Task<int> ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default) =>
        db.Leases.Where(l => l.Name == name && l.Holder == holder).ExecuteDeleteAsync(cancellationToken);
}
