using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Leases for single-leader work (the scanner) across instances. Every change is one conditional statement, so two
/// instances never both believe they hold a lease: acquiring takes a free, expired or already-own lease (an UPDATE)
/// or creates it (an <c>INSERT … ON CONFLICT DO NOTHING</c> that only one instance wins, without an error for the
/// other); renewing and releasing touch it only while this holder has it. A holder keeps a lease by renewing it well
/// before it expires (<see cref="LeaseKeeper"/> does that), so a holder that dies is replaced within one
/// <see cref="LeaseKeeper.Duration"/> plus the other instances' polling interval.
/// Times come from each instance's clock: instances must keep their clocks in sync (NTP), well within the duration.
/// </summary>
public sealed class LeaseStore(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>Takes the lease for <paramref name="duration"/> if it is free, expired or already ours; true when held.</summary>
    public Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        db.RetryingAsync(
            async ct =>
            {
                var now = time.GetUtcNow();
                var expires = (now + duration).UtcTicks;
                var nowTicks = now.UtcTicks;
                var taken = await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""UPDATE "Leases" SET "Holder" = {holder}, "ExpiresAt" = {expires} WHERE "Name" = {name} AND ("Holder" = {holder} OR "ExpiresAt" <= {nowTicks})""",
                    ct).ConfigureAwait(false);
                if (taken == 1)
                {
                    return true;
                }

                return await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""INSERT INTO "Leases" ("Name", "Holder", "ExpiresAt") VALUES ({name}, {holder}, {expires}) ON CONFLICT ("Name") DO NOTHING""",
                    ct).ConfigureAwait(false) == 1;
            },
            cancellationToken);

    /// <summary>
    /// Extends a lease this holder still has by <paramref name="duration"/> from now; false when another holder took it
    /// (it expired first), or it was released: the work it guarded must stop.
    /// </summary>
    public Task<bool> RenewAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        db.RetryingAsync(
            async ct =>
            {
                var expires = time.GetUtcNow() + duration;
                return await db.Leases.Where(l => l.Name == name && l.Holder == holder && l.ExpiresAt > DateTimeOffset.MinValue)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, expires), ct).ConfigureAwait(false) == 1;
            },
            cancellationToken);

    /// <summary>Gives the lease up at once, if this holder has it (the row stays, naming the last holder).</summary>
    public Task<int> ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default) =>
        db.RetryingAsync(
            ct => db.Leases.Where(l => l.Name == name && l.Holder == holder && l.ExpiresAt > DateTimeOffset.MinValue)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTimeOffset.MinValue), ct),
            cancellationToken);

    /// <summary>
    /// Releases the lease, if this holder has it, recording that its work is done now (<see cref="LastCompletedAsync"/>);
    /// 0 when it had been lost, so the work's completion is not claimed by a holder that no longer had the lease.
    /// </summary>
    public Task<int> CompleteAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return db.RetryingAsync(
            ct => db.Leases.Where(l => l.Name == name && l.Holder == holder && l.ExpiresAt > DateTimeOffset.MinValue)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTimeOffset.MinValue).SetProperty(l => l.CompletedAt, now), ct),
            cancellationToken);
    }

    /// <summary>When a holder last released the lease with its work done (null: never), so any instance can tell when the next run is due.</summary>
    public Task<DateTimeOffset?> LastCompletedAsync(string name, CancellationToken cancellationToken = default) =>
        db.RetryingAsync(
            ct => db.Leases.AsNoTracking().Where(l => l.Name == name).Select(l => l.CompletedAt).FirstOrDefaultAsync(ct),
            cancellationToken);

    /// <summary>Who holds the lease now (null: nobody), so an instance that was refused can say who is doing the work.</summary>
    public Task<string?> HolderAsync(string name, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return db.RetryingAsync(
            ct => db.Leases.AsNoTracking().Where(l => l.Name == name && l.ExpiresAt > now).Select(l => l.Holder).FirstOrDefaultAsync(ct),
            cancellationToken);
    }

    /// <summary>Whether someone holds the lease now (for work that should wait while, say, a scan is writing).</summary>
    public Task<bool> IsHeldAsync(string name, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return db.RetryingAsync(ct => db.Leases.AnyAsync(l => l.Name == name && l.ExpiresAt > now, ct), cancellationToken);
    }
}
