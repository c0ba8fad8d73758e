using System.Globalization;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Admin scopes made in Teams. Writes join the caller's audited change (the host opens it before calling), so a scope
/// and its audit event commit together. A stored selector that no longer reads is dropped when read: the scope then
/// covers less, never more.
/// </summary>
public sealed class AdminScopeStore(CredentialBotDbContext db)
{
    public async Task<IReadOnlyList<StoredAdminScope>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.AdminScopes.AsNoTracking().OrderBy(s => s.NameKey).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new StoredAdminScope(
            new AdminScope(r.Name, Lines(r.People), Lines(r.Groups), [.. Lines(r.Apps).Select(a => AppSelector.Parse(a, out _)).OfType<AppSelector>()]),
            r.UpdatedAt,
            r.UpdatedBy))];
    }

    /// <summary>
    /// Saves <paramref name="scope"/>: a new one when <paramref name="replacing"/> is null, otherwise in place of the
    /// scope of that name (which may be renamed). False when the scope to replace is gone, or the name is taken.
    /// </summary>
    public async Task<bool> SaveAsync(AdminScope scope, string? replacing, string? by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var key = Key(scope.Name);
        var taken = await db.AdminScopes.AnyAsync(s => s.NameKey == key, cancellationToken).ConfigureAwait(false);
        AdminScopeRecord? record;
        if (replacing is null)
        {
            if (taken)
            {
                return false;
            }

            record = new AdminScopeRecord { Name = scope.Name, NameKey = key, People = string.Empty, Groups = string.Empty, Apps = string.Empty };
            db.AdminScopes.Add(record);
        }
        else
        {
            var old = Key(replacing);
            record = await db.AdminScopes.FirstOrDefaultAsync(s => s.NameKey == old, cancellationToken).ConfigureAwait(false);
            if (record is null || (taken && key != old))
            {
                return false;
            }
        }

        record.Name = scope.Name;
        record.NameKey = key;
        record.People = string.Join('\n', scope.PersonIds);
        record.Groups = string.Join('\n', scope.GroupIds);
        record.Apps = string.Join('\n', scope.Apps);
        record.UpdatedAt = at;
        record.UpdatedBy = by;
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another admin may have saved the name between the check and this write (the unique index decided). EF Core
            // rolled back to its savepoint, so the caller's transaction stays usable for the refusal's audit event.
            db.Entry(record).State = EntityState.Detached;
            if (await NameTakenByAnotherAsync(key, record, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }

        return true;
    }

    private async Task<bool> NameTakenByAnotherAsync(string key, AdminScopeRecord record, CancellationToken cancellationToken) =>
        await db.AdminScopes.AsNoTracking().AnyAsync(s => s.NameKey == key && s.Id != record.Id, cancellationToken).ConfigureAwait(false);

    /// <summary>Removes the scope of that name; false when there is none.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        var key = Key(name);
        var record = await db.AdminScopes.FirstOrDefaultAsync(s => s.NameKey == key, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return false;
        }

        db.AdminScopes.Remove(record);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static string Key(string name) => name.Trim().ToUpper(CultureInfo.InvariantCulture);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
