using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Technical and business owners: CredentialBot's own record of who is accountable.</summary>
public sealed class OwnershipStore(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Adds or updates a technical or business owner; Entra owners are changed through Graph, not here. One statement
    /// (<c>INSERT … SELECT … WHERE EXISTS … ON CONFLICT DO UPDATE</c>, the same SQL on SQLite and PostgreSQL): people adding
    /// the same owner at once all succeed with one row, and the row gets what the last of them wrote even where this
    /// context read it earlier and someone changed it since (a tracked row would keep the stale values and skip the update).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No App with that object id is known.</exception>
    public async Task AddOwnerAsync(string appObjectId, Owner owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (owner.Kind == OwnerKind.Entra)
        {
            throw new ArgumentException("Entra owners are changed through Graph; the store only mirrors them.", nameof(owner));
        }

        var kind = owner.Kind.ToString();
        var manageCredentials = owner.Kind == OwnerKind.Technical && owner.CanManageCredentials;
        // Times are stored as UTC ticks (the model's converter), which raw SQL has to do itself.
        var updatedAt = time.GetUtcNow().UtcTicks;
        // The ON CONFLICT needs the owners' unique key, which a first load on SQLite may have set aside. Both statements
        // run on one connection: a pooled SQLite connection keeps the schema it read while the key was missing, and
        // SQLite refuses the ON CONFLICT at prepare time without reading the schema again; the CREATE … IF NOT EXISTS
        // does read it, so the insert after it on the same connection sees the key.
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        int written;
        try
        {
            await SnapshotIndexes.EnsureKeysAsync(db, cancellationToken).ConfigureAwait(false);
            written = await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO "Owners" ("AppObjectId", "PersonObjectId", "Kind", "DisplayName", "UserPrincipalName", "AccountEnabled", "Deleted", "ManageCredentials", "UpdatedAt")
                SELECT {appObjectId}, {owner.ObjectId}, {kind}, {owner.DisplayName}, {owner.UserPrincipalName}, {owner.AccountEnabled}, {owner.Deleted}, {manageCredentials}, {updatedAt}
                WHERE EXISTS (SELECT 1 FROM "Apps" WHERE "ObjectId" = {appObjectId})
                ON CONFLICT ("AppObjectId", "PersonObjectId", "Kind") DO UPDATE SET
                    "DisplayName" = excluded."DisplayName", "UserPrincipalName" = excluded."UserPrincipalName",
                    "AccountEnabled" = excluded."AccountEnabled", "Deleted" = excluded."Deleted",
                    "ManageCredentials" = excluded."ManageCredentials", "UpdatedAt" = excluded."UpdatedAt"
                """,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        if (written == 0)
        {
            throw new KeyNotFoundException($"No app with object id '{appObjectId}' is known.");
        }
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
