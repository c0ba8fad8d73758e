using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// The snapshot of the tenant's Apps, credentials and owners. Chat commands and the message extension read
/// it (fast, no Graph on the hot path); scans write it a batch at a time.
/// </summary>
public sealed class AppCatalog(CredentialBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Inserts or updates a batch of Apps from the directory in one transaction: credentials are replaced by
    /// what the directory says, Entra owners too; technical and business owners (ours) are never touched.
    /// </summary>
    public async Task UpsertSnapshotAsync(IReadOnlyCollection<App> apps, DateTimeOffset seenAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apps);
        if (apps.Count == 0)
        {
            return;
        }

        var ids = apps.Select(a => a.ObjectId).ToList();
        var existing = await db.Apps
            .Include(a => a.Credentials)
            .Include(a => a.Owners.Where(o => o.Kind == OwnerKind.Entra))
            .Where(a => ids.Contains(a.ObjectId))
            .AsSplitQuery()
            .ToDictionaryAsync(a => a.ObjectId, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        foreach (var app in apps.DistinctBy(a => a.ObjectId))
        {
            if (!existing.TryGetValue(app.ObjectId, out var record))
            {
                record = new AppRecord { ObjectId = app.ObjectId, AppId = app.AppId, DisplayName = app.DisplayName, DisplayNameLower = app.DisplayName.ToLowerInvariant() };
                db.Apps.Add(record);
            }

            record.AppId = app.AppId;
            record.DisplayName = app.DisplayName;
            record.DisplayNameLower = app.DisplayName.ToLowerInvariant();
            record.Kind = app.Kind;
            record.Tags = string.Join('\n', app.TagsOrEmpty);
            record.LastSeenAt = seenAt;
            record.Deleted = false;
            SyncCredentials(record, app);
            SyncEntraOwners(record, app, now);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
    }

    /// <summary>Flags Apps of <paramref name="kind"/> that the scan started at <paramref name="scanStartedAt"/> did not see.</summary>
    public Task<int> MarkMissingAsDeletedAsync(AppKind kind, DateTimeOffset scanStartedAt, CancellationToken cancellationToken = default) =>
        db.Apps.Where(a => a.Kind == kind && !a.Deleted && a.LastSeenAt < scanStartedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Deleted, true), cancellationToken);

    /// <summary>One App by object id with every owner kind, or null.</summary>
    public async Task<App?> GetAsync(string objectId, CancellationToken cancellationToken = default)
    {
        var record = await Live().FirstOrDefaultAsync(a => a.ObjectId == objectId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : ToDomain(record);
    }

    /// <summary>
    /// Apps matching a query: exact appId or object id first, then exact display name (case-insensitive),
    /// then names containing the query, alphabetically; at most <paramref name="max"/>.
    /// </summary>
    public async Task<IReadOnlyList<App>> FindAsync(string query, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Trim();
        if (text.Length == 0 || max <= 0)
        {
            return [];
        }

        var lower = text.ToLowerInvariant();
        // ToLower is translated to SQL lower() on both providers; string.Equals with a comparison is not translatable.
#pragma warning disable CA1862
        var exact = await Live()
            .Where(a => a.AppId.ToLower() == lower || a.ObjectId.ToLower() == lower || a.DisplayNameLower == lower)
            .OrderBy(a => a.DisplayNameLower).Take(max)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
#pragma warning restore CA1862
        var exactIds = exact.Select(a => a.ObjectId).ToList();
        var partial = exact.Count >= max ? [] : await Live()
            .Where(a => a.DisplayNameLower.Contains(lower) && !exactIds.Contains(a.ObjectId))
            .OrderBy(a => a.DisplayNameLower).Take(max - exact.Count)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. exact.Concat(partial).Select(ToDomain)];
    }

    /// <summary>Apps where the person is an owner of any kind.</summary>
    public async Task<IReadOnlyList<App>> ListOwnedByAsync(string personObjectId, CancellationToken cancellationToken = default)
    {
        var records = await Live()
            .Where(a => a.Owners.Any(o => o.PersonObjectId == personObjectId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(ToDomain)];
    }

    /// <summary>Live Apps by object id, with every owner kind (the ones a scan batch just wrote).</summary>
    public async Task<IReadOnlyList<App>> GetManyAsync(IReadOnlyCollection<string> objectIds, CancellationToken cancellationToken = default)
    {
        var ids = objectIds.ToList();
        var records = await Live().Where(a => ids.Contains(a.ObjectId)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(ToDomain)];
    }

    /// <summary>
    /// Live Apps after <paramref name="afterObjectId"/> in object-id order, with every owner kind: keyset paging, so
    /// walking the whole catalog costs the same per page however large it is.
    /// </summary>
    public async Task<IReadOnlyList<App>> ListPageAsync(string? afterObjectId, int take, CancellationToken cancellationToken = default)
    {
        var query = Live();
        if (afterObjectId is not null)
        {
            query = query.Where(a => string.Compare(a.ObjectId, afterObjectId) > 0);
        }

        var records = await query.OrderBy(a => a.ObjectId).Take(take).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(ToDomain)];
    }

    /// <summary>Live (not deleted) Apps.</summary>
    public Task<int> CountAsync(CancellationToken cancellationToken = default) => db.Apps.CountAsync(a => !a.Deleted, cancellationToken);

    internal static App ToDomain(AppRecord record) => new(
        record.ObjectId,
        record.AppId,
        record.DisplayName,
        record.Kind,
        [.. record.Credentials.Select(c => new Credential(c.KeyId, c.Kind, c.DisplayName, c.StartsAt, c.EndsAt))],
        [.. record.Owners.OrderBy(o => o.Kind).ThenBy(o => o.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Select(o => new Owner(o.Kind, o.PersonObjectId, o.DisplayName, o.UserPrincipalName, o.AccountEnabled, o.Deleted, o.ManageCredentials))],
        record.Tags.Length == 0 ? [] : record.Tags.Split('\n'),
        record.ExternallyManaged);

    private IQueryable<AppRecord> Live() =>
        db.Apps.AsNoTracking().Include(a => a.Credentials).Include(a => a.Owners).Where(a => !a.Deleted).AsSplitQuery();

    private void SyncCredentials(AppRecord record, App app)
    {
        var wanted = app.Credentials.DistinctBy(c => c.KeyId).ToDictionary(c => c.KeyId, StringComparer.Ordinal);
        foreach (var stale in record.Credentials.Where(c => !wanted.ContainsKey(c.KeyId)).ToList())
        {
            record.Credentials.Remove(stale);
            db.Credentials.Remove(stale);
        }

        foreach (var credential in wanted.Values)
        {
            var row = record.Credentials.FirstOrDefault(c => c.KeyId == credential.KeyId);
            if (row is null)
            {
                row = new CredentialRecord { AppObjectId = record.ObjectId, KeyId = credential.KeyId };
                record.Credentials.Add(row);
            }

            row.Kind = credential.Kind;
            row.DisplayName = credential.DisplayName;
            row.StartsAt = credential.StartsAt;
            row.EndsAt = credential.EndsAt;
        }
    }

    private void SyncEntraOwners(AppRecord record, App app, DateTimeOffset now)
    {
        var wanted = app.OwnersOf(OwnerKind.Entra).DistinctBy(o => o.ObjectId).ToDictionary(o => o.ObjectId, StringComparer.Ordinal);
        foreach (var stale in record.Owners.Where(o => o.Kind == OwnerKind.Entra && !wanted.ContainsKey(o.PersonObjectId)).ToList())
        {
            record.Owners.Remove(stale);
            db.Owners.Remove(stale);
        }

        foreach (var owner in wanted.Values)
        {
            var row = record.Owners.FirstOrDefault(o => o.Kind == OwnerKind.Entra && o.PersonObjectId == owner.ObjectId);
            if (row is null)
            {
                row = new OwnerRecord { AppObjectId = record.ObjectId, PersonObjectId = owner.ObjectId, Kind = OwnerKind.Entra, DisplayName = owner.DisplayName };
                record.Owners.Add(row);
            }

            row.DisplayName = owner.DisplayName;
            row.UserPrincipalName = owner.UserPrincipalName;
            row.AccountEnabled = owner.AccountEnabled;
            row.Deleted = owner.Deleted;
            row.ManageCredentials = true;
            row.UpdatedAt = now;
        }
    }
}
