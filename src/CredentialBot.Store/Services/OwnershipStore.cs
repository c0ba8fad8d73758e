using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Technical and business owners: CredentialBot's own record of who is accountable.</summary>
public sealed class OwnershipStore(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>Adds or updates a technical or business owner; Entra owners are changed through Graph, not here.</summary>
    public async Task AddOwnerAsync(string appObjectId, Owner owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (owner.Kind == OwnerKind.Entra)
        {
            throw new ArgumentException("Entra owners are changed through Graph; the store only mirrors them.", nameof(owner));
        }

        if (!await db.Apps.AnyAsync(a => a.ObjectId == appObjectId, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"No app with object id '{appObjectId}' is known.");
        }

        var row = await db.Owners.FirstOrDefaultAsync(o => o.AppObjectId == appObjectId && o.PersonObjectId == owner.ObjectId && o.Kind == owner.Kind, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new OwnerRecord { AppObjectId = appObjectId, PersonObjectId = owner.ObjectId, Kind = owner.Kind, DisplayName = owner.DisplayName };
            db.Owners.Add(row);
        }

        row.DisplayName = owner.DisplayName;
        row.UserPrincipalName = owner.UserPrincipalName;
        row.AccountEnabled = owner.AccountEnabled;
        row.Deleted = owner.Deleted;
        row.ManageCredentials = owner.Kind == OwnerKind.Technical && owner.CanManageCredentials;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a technical or business owner; false when there was none.</summary>
    public async Task<bool> RemoveOwnerAsync(string appObjectId, string personObjectId, OwnerKind kind, CancellationToken cancellationToken = default)
    {
        if (kind == OwnerKind.Entra)
        {
            throw new ArgumentException("Entra owners are changed through Graph; the store only mirrors them.", nameof(kind));
        }

        return await db.Owners.Where(o => o.AppObjectId == appObjectId && o.PersonObjectId == personObjectId && o.Kind == kind)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Every owner of an App, all kinds.</summary>
    public async Task<IReadOnlyList<Owner>> ListAsync(string appObjectId, CancellationToken cancellationToken = default) =>
        await db.Owners.AsNoTracking().Where(o => o.AppObjectId == appObjectId)
            .Select(o => new Owner(o.Kind, o.PersonObjectId, o.DisplayName, o.UserPrincipalName, o.AccountEnabled, o.Deleted, o.ManageCredentials))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
}
