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
    /// Inserts or updates a batch of Apps from the directory: credentials are replaced by what the directory says,
    /// Entra owners too; technical and business owners (ours) and the externally-managed flag are never touched.
    /// Run it inside a transaction (the scan does) so a batch lands whole. Written as prepared statements rather
    /// than through the change tracker: a full scan writes hundreds of thousands of rows.
    /// </summary>
    public async Task UpsertSnapshotAsync(IReadOnlyCollection<App> apps, DateTimeOffset seenAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apps);
        if (apps.Count == 0)
        {
            return;
        }

        var batch = apps.DistinctBy(a => a.ObjectId).ToList();
        var ids = batch.Select(a => a.ObjectId).ToList();
        var now = time.GetUtcNow().UtcTicks;
        await db.Credentials.Where(c => ids.Contains(c.AppObjectId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Owners.Where(o => ids.Contains(o.AppObjectId) && o.Kind == OwnerKind.Entra).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var upsertApp = BulkCommand.Create(
                db,
                """
                INSERT INTO "Apps" ("ObjectId", "AppId", "DisplayName", "DisplayNameLower", "Kind", "ExternallyManaged", "Tags", "LastSeenAt", "Deleted")
                VALUES (@id, @appId, @name, @lower, @kind, @external, @tags, @seen, @deleted)
                ON CONFLICT ("ObjectId") DO UPDATE SET
                    "AppId" = excluded."AppId", "DisplayName" = excluded."DisplayName", "DisplayNameLower" = excluded."DisplayNameLower",
                    "Kind" = excluded."Kind", "Tags" = excluded."Tags", "LastSeenAt" = excluded."LastSeenAt", "Deleted" = excluded."Deleted"
                """,
                "id", "appId", "name", "lower", "kind", "external", "tags", "seen", "deleted");
            await using var insertCredential = BulkCommand.Create(
                db,
                """
                INSERT INTO "Credentials" ("AppObjectId", "KeyId", "Kind", "DisplayName", "StartsAt", "EndsAt")
                VALUES (@app, @key, @kind, @name, @starts, @ends)
                """,
                "app", "key", "kind", "name", "starts", "ends");
            await using var insertOwner = BulkCommand.Create(
                db,
                """
                INSERT INTO "Owners" ("AppObjectId", "PersonObjectId", "Kind", "DisplayName", "UserPrincipalName", "AccountEnabled", "Deleted", "ManageCredentials", "UpdatedAt")
                VALUES (@app, @person, @kind, @name, @upn, @enabled, @deleted, @manage, @updated)
                """,
                "app", "person", "kind", "name", "upn", "enabled", "deleted", "manage", "updated");

            foreach (var app in batch)
            {
                await upsertApp.ExecuteAsync(cancellationToken, app.ObjectId, app.AppId, app.DisplayName, app.DisplayName.ToLowerInvariant(), app.Kind.ToString(), false, string.Join('\n', app.TagsOrEmpty), seenAt.UtcTicks, false).ConfigureAwait(false);
                foreach (var credential in app.Credentials.DistinctBy(c => c.KeyId))
                {
                    await insertCredential.ExecuteAsync(cancellationToken, app.ObjectId, credential.KeyId, credential.Kind.ToString(), credential.DisplayName, credential.StartsAt?.UtcTicks, credential.EndsAt.UtcTicks).ConfigureAwait(false);
                }

                foreach (var owner in app.OwnersOf(OwnerKind.Entra).DistinctBy(o => o.ObjectId))
                {
                    await insertOwner.ExecuteAsync(cancellationToken, app.ObjectId, owner.ObjectId, nameof(OwnerKind.Entra), owner.DisplayName, owner.UserPrincipalName, owner.AccountEnabled, owner.Deleted, true, now).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Flags Apps the directory reported as removed (a delta round).</summary>
    public Task<int> MarkDeletedAsync(IReadOnlyCollection<string> objectIds, CancellationToken cancellationToken = default)
    {
        var ids = objectIds.ToList();
        return db.Apps.Where(a => ids.Contains(a.ObjectId)).ExecuteUpdateAsync(s => s.SetProperty(a => a.Deleted, true), cancellationToken);
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
        // Graph writes ids as lowercase GUIDs and the snapshot keeps them so: plain equality uses the indexes, where
        // lower(column) would read every App. The text as typed still matches an id stored otherwise.
        var exact = await Live()
            .Where(a => a.AppId == lower || a.AppId == text || a.ObjectId == lower || a.ObjectId == text || a.DisplayNameLower == lower)
            .OrderBy(a => a.DisplayNameLower).Take(max)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var exactIds = exact.Select(a => a.ObjectId).ToList();
        var partial = exact.Count >= max ? [] : await Live()
            .Where(a => a.DisplayNameLower.Contains(lower) && !exactIds.Contains(a.ObjectId))
            .OrderBy(a => a.DisplayNameLower).Take(max - exact.Count)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. exact.Concat(partial).Select(ToDomain)];
    }

    /// <summary>
    /// Apps a search box finds: <see cref="FindAsync"/>'s matches on appId, object id and name first, then Apps with an
    /// owner whose name or user principal name contains the query; at most <paramref name="max"/>, from the store only.
    /// </summary>
    public async Task<IReadOnlyList<App>> SearchAsync(string query, int max, CancellationToken cancellationToken = default)
    {
        var byApp = await FindAsync(query, max, cancellationToken).ConfigureAwait(false);
        if (byApp.Count >= max)
        {
            return byApp;
        }

        var lower = query.Trim().ToLowerInvariant();
        var seen = byApp.Select(a => a.ObjectId).ToList();
#pragma warning disable CA1862 // ToLower is translated to SQL lower() on both providers.
        var byOwner = await Live()
            .Where(a => !seen.Contains(a.ObjectId) && a.Owners.Any(o => o.DisplayName.ToLower().Contains(lower) || (o.UserPrincipalName != null && o.UserPrincipalName.ToLower().Contains(lower))))
            .OrderBy(a => a.DisplayNameLower).Take(max - byApp.Count)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
#pragma warning restore CA1862
        return [.. byApp, .. byOwner.Select(ToDomain)];
    }

    /// <summary>Apps where the person is an owner of any kind.</summary>
    public async Task<IReadOnlyList<App>> ListOwnedByAsync(string personObjectId, CancellationToken cancellationToken = default)
    {
        var records = await Live()
            .Where(a => a.Owners.Any(o => o.PersonObjectId == personObjectId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(ToDomain)];
    }

    /// <summary>
    /// Completes Apps read from the directory with what only the store knows — technical and business owners and the
    /// externally-managed flag — without reading the snapshot back: one query per batch.
    /// </summary>
    public async Task<IReadOnlyList<App>> WithStoreFactsAsync(IReadOnlyList<App> fromDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fromDirectory);
        var ids = fromDirectory.Select(a => a.ObjectId).ToList();
        var ours = await db.Owners.AsNoTracking()
            .Where(o => ids.Contains(o.AppObjectId) && o.Kind != OwnerKind.Entra)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var external = await db.Apps.AsNoTracking().Where(a => ids.Contains(a.ObjectId) && a.ExternallyManaged).Select(a => a.ObjectId)
            .ToHashSetAsync(StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        var oursByApp = ours.ToLookup(o => o.AppObjectId, StringComparer.Ordinal);
        return [.. fromDirectory.Select(app => app with
        {
            Owners = [.. app.OwnersOf(OwnerKind.Entra), .. oursByApp[app.ObjectId].Select(o => new Owner(o.Kind, o.PersonObjectId, o.DisplayName, o.UserPrincipalName, o.AccountEnabled, o.Deleted, o.ManageCredentials))],
            ExternallyManaged = external.Contains(app.ObjectId),
        })];
    }

    /// <summary>Live Apps by object id, with every owner kind.</summary>
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
    /// <param name="afterObjectId">The last object id of the previous page, or null for the first.</param>
    /// <param name="take">Page size.</param>
    /// <param name="kind">Only Apps of this kind, when given.</param>
    /// <param name="expiringBefore">Only Apps with a credential ending before this instant, when given (uses the EndsAt index).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<App>> ListPageAsync(string? afterObjectId, int take, AppKind? kind = null, DateTimeOffset? expiringBefore = null, CancellationToken cancellationToken = default)
    {
        var query = Live();
        if (kind is { } only)
        {
            query = query.Where(a => a.Kind == only);
        }

        if (expiringBefore is { } horizon)
        {
            query = query.Where(a => a.Credentials.Any(c => c.EndsAt < horizon));
        }

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
}
