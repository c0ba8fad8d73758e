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
    /// <summary>Whether this catalog is loading into an empty store (<see cref="BeginBulkLoadAsync"/>), where most Apps are new.</summary>
    private bool _loadingIntoEmptyStore;

    // One live App, its credentials and its owners: three compiled statements in one read snapshot (see LiveByIdAsync).
    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, string, CancellationToken, Task<AppRecord?>>> LiveById = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, string objectId, CancellationToken _) =>
            context.Apps.AsNoTracking().FirstOrDefault(a => a.ObjectId == objectId && !a.Deleted)));

    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, string, IAsyncEnumerable<CredentialRecord>>> CredentialsOf = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, string objectId) => context.Credentials.AsNoTracking().Where(c => c.AppObjectId == objectId)));

    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, string, IAsyncEnumerable<OwnerRecord>>> OwnersOf = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, string objectId) => context.Owners.AsNoTracking().Where(o => o.AppObjectId == objectId)));

    /// <summary>
    /// Writes a batch of Apps as the directory returned them: credentials and Entra owners become what the directory
    /// says; technical and business owners (ours) and the externally-managed flag are never touched. Run it inside a
    /// transaction (the scan does) so a batch lands whole; without one, the write gets a transaction of its own.
    /// <para>
    /// <paramref name="readStartedAt"/> is when the directory read that returned these Apps began — a scan's start, or
    /// the moment just before a per-app refresh asked Graph — never later. Writers of the same App may run at once
    /// (scan pages, refreshes after actions, a second scan, other instances): each App has one writer at a time, a
    /// write from a read that began before the stored one's is dropped, and Apps that did not change are not rewritten
    /// (see <see cref="SnapshotWriter"/>).
    /// </para>
    /// </summary>
    public async Task<SnapshotWrite> UpsertSnapshotAsync(IReadOnlyCollection<App> apps, DateTimeOffset readStartedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apps);
        if (apps.Count == 0)
        {
            return SnapshotWrite.Nothing;
        }

        if (db.Database.CurrentTransaction is not null)
        {
            return await new SnapshotWriter(db).WriteAsync(apps, readStartedAt, time.GetUtcNow(), _loadingIntoEmptyStore, cancellationToken).ConfigureAwait(false);
        }

        // Each App's rows must be taken, compared and written in one transaction; a caller without one gets its own.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var write = await new SnapshotWriter(db).WriteAsync(apps, readStartedAt, time.GetUtcNow(), _loadingIntoEmptyStore, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return write;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies <paramref name="change"/> — something the directory has just confirmed, such as addPassword's answer —
    /// to the App as stored and writes the result as a directory read begun at <paramref name="changedAt"/>, in one
    /// transaction that holds the App's row from the read to the write (PostgreSQL: <c>FOR UPDATE</c>; SQLite: the
    /// transaction's write lock), so two changes of one App at once both land. Returns the App as written, or null when
    /// the snapshot has no live App with that id.
    /// </summary>
    public async Task<App?> ChangeSnapshotAsync(string objectId, Func<App, App> change, DateTimeOffset changedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        ArgumentNullException.ThrowIfNull(change);
        return await db.InTransactionAsync(async ct =>
        {
            if (db.Database.IsNpgsql())
            {
                await db.Database.SqlQuery<string>($"SELECT \"ObjectId\" AS \"Value\" FROM \"Apps\" WHERE \"ObjectId\" = {objectId} FOR UPDATE")
                    .ToListAsync(ct).ConfigureAwait(false);
            }

            if (await LiveByIdAsync(objectId, ct).ConfigureAwait(false) is not { } stored)
            {
                return null;
            }

            // The change is applied to what is stored now, so it is at least as new as that: a writer that took its time
            // before the lock was free (a rotation behind the janitor) must not be dropped as an older read.
            var seenAt = stored.LastSeenAt > changedAt ? stored.LastSeenAt : changedAt;
            var changed = change(ToDomain(stored));
            await new SnapshotWriter(db).WriteAsync([changed], seenAt, time.GetUtcNow(), mostlyNew: false, ct).ConfigureAwait(false);
            return changed;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Call once before a scan writes its first batch, and dispose the result when the scan is over (whether it
    /// succeeded or not). When the snapshot is empty — the first scan of a new store — the secondary and search indexes
    /// are set aside so the load writes rows only, and the result builds them back, sorted, when disposed; a process
    /// killed in between gets them back at its next start (<see cref="StoreDatabase.MigrateAsync(CredentialBotDbContext, CancellationToken)"/>). Otherwise it
    /// does nothing. Readers still work meanwhile, without those indexes: slower, and substring search finds nothing
    /// until the load is over.
    /// </summary>
    public async Task<IAsyncDisposable> BeginBulkLoadAsync(CancellationToken cancellationToken = default)
    {
        _loadingIntoEmptyStore = await SnapshotIndexes.DeferIfEmptyAsync(db, cancellationToken).ConfigureAwait(false);
        return _loadingIntoEmptyStore ? new DeferredIndexes(this, db) : NoBulkLoad.Instance;
    }

    /// <summary>
    /// Whether every writer of this store takes one write lock (SQLite, which serves one instance): there each commit
    /// rewrites in the log every page it touched, and the people who can wait for that lock act through this instance.
    /// </summary>
    public bool OneWriterAtATime => !db.Database.IsNpgsql();

    /// <summary>Flags Apps the directory reported as removed (a delta round).</summary>
    public Task<int> MarkDeletedAsync(IReadOnlyCollection<string> objectIds, CancellationToken cancellationToken = default)
    {
        var ids = objectIds.ToList();
        return db.Apps.Where(a => EF.Parameter(ids).Contains(a.ObjectId)).ExecuteUpdateAsync(s => s.SetProperty(a => a.Deleted, true), cancellationToken);
    }

    /// <summary>Flags Apps of <paramref name="kind"/> that the scan started at <paramref name="scanStartedAt"/> did not see.</summary>
    public Task<int> MarkMissingAsDeletedAsync(AppKind kind, DateTimeOffset scanStartedAt, CancellationToken cancellationToken = default) =>
        db.Apps.Where(a => a.Kind == kind && !a.Deleted && a.LastSeenAt < scanStartedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Deleted, true), cancellationToken);

    /// <summary>One App by object id with every owner kind, or null: read in one snapshot.</summary>
    public async Task<App?> GetAsync(string objectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objectId);
        var record = await LiveByIdAsync(objectId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : ToDomain(record);
    }

    /// <summary>
    /// Apps matching a query: exact appId or object id first, then exact display name (case-insensitive), then names
    /// containing the query, alphabetically; at most <paramref name="max"/>. A query of fewer than three characters
    /// matches names that start with it: the substring index works on three-character pieces, and "containing 'a'"
    /// would list most of the tenant anyway.
    /// </summary>
    public async Task<IReadOnlyList<App>> FindAsync(string query, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await LoadInOrderAsync(await FindIdsAsync(query.Trim(), max, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Apps whose appId, object id or display name is the query (case-insensitive), alphabetically; at most
    /// <paramref name="max"/>. One indexed statement: a command that names an App exactly needs no substring search.
    /// </summary>
    public async Task<IReadOnlyList<App>> FindExactAsync(string query, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Trim();
        return text.Length == 0 || max <= 0
            ? []
            : await LoadInOrderAsync(await ExactIdsAsync(text, max, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Apps a search box finds: <see cref="FindAsync"/>'s matches on appId, object id and name first, then Apps with an
    /// owner whose name or user principal name contains the query (three characters or more), alphabetically; at most
    /// <paramref name="max"/>, from the store only.
    /// </summary>
    public async Task<IReadOnlyList<App>> SearchAsync(string query, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Trim();
        var ids = await FindIdsAsync(text, max, cancellationToken).ConfigureAwait(false);
        if (text.Length > 0 && ids.Count < max)
        {
            ids.AddRange(await AppSearch.OwnersAsync(db, text.ToLowerInvariant(), ids, max - ids.Count, cancellationToken).ConfigureAwait(false));
        }

        return await LoadInOrderAsync(ids, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Apps where the person is an owner of any kind.</summary>
    public async Task<IReadOnlyList<App>> ListOwnedByAsync(string personObjectId, CancellationToken cancellationToken = default)
    {
        var records = await WithChildrenAsync(Live().Where(a => a.Owners.Any(o => o.PersonObjectId == personObjectId)), inObjectIdOrder: false, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(ToDomain)];
    }

    // Lists of ids go to the database as one parameter (EF.Parameter: a JSON array on SQLite, an array on PostgreSQL):
    // EF Core 10 otherwise sends one parameter per id, and a scan batch of 500 ids cost milliseconds to prepare.

    /// <summary>
    /// Completes Apps read from the directory with what only the store knows — technical and business owners and the
    /// externally-managed flag — without reading the snapshot back, inside the transaction of the snapshot
    /// <paramref name="write"/> that took them. The flags come from what the write read; owners take one query per
    /// batch. An App the store holds from a directory read that began after the write's (<see cref="SnapshotWrite.KeptNewer"/>:
    /// a refresh after someone's action, while a listing ran) is returned as stored: that is newer than what the listing
    /// saw. Apps the write inserted are not looked up: the store knows nothing else about them yet. A first load inserts
    /// every App.
    /// </summary>
    public async Task<IReadOnlyList<App>> WithStoreFactsAsync(IReadOnlyList<App> fromDirectory, SnapshotWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fromDirectory);
        ArgumentNullException.ThrowIfNull(write);
        var ids = fromDirectory.Select(a => a.ObjectId).Where(id => !write.Inserted.Contains(id)).ToList();
        if (ids.Count == 0)
        {
            return [.. fromDirectory.Select(app => WithFacts(app, [], externallyManaged: false))];
        }

        var ours = await db.Owners.AsNoTracking()
            .Where(o => EF.Parameter(ids).Contains(o.AppObjectId) && o.Kind != OwnerKind.Entra)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var newerIds = ids.Where(write.KeptNewer.Contains).ToList();
        var newer = newerIds.Count == 0
            ? new Dictionary<string, App>(StringComparer.Ordinal)
            : (await GetManyAsync(newerIds, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.ObjectId, StringComparer.Ordinal);
        var oursByApp = ours.ToLookup(o => o.AppObjectId, StringComparer.Ordinal);
        return [.. fromDirectory.Select(app => newer.TryGetValue(app.ObjectId, out var stored) ? stored : WithFacts(app, oursByApp[app.ObjectId], write.ExternallyManaged.Contains(app.ObjectId)))];
    }

    /// <summary>The App from the directory with the owners and flag only the store knows; itself when there are none (most Apps).</summary>
    private static App WithFacts(App app, IEnumerable<OwnerRecord> ours, bool externallyManaged) =>
        !ours.Any() && app.ExternallyManaged == externallyManaged && app.Owners.All(o => o.Kind == OwnerKind.Entra)
            ? app
            : app with
            {
                Owners = [.. app.OwnersOf(OwnerKind.Entra), .. ours.Select(o => new Owner(o.Kind, o.PersonObjectId, o.DisplayName, o.UserPrincipalName, o.AccountEnabled, o.Deleted, o.ManageCredentials))],
                ExternallyManaged = externallyManaged,
            };

    /// <summary>Live Apps by object id, with every owner kind.</summary>
    public async Task<IReadOnlyList<App>> GetManyAsync(IReadOnlyCollection<string> objectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objectIds);
        return [.. (await LoadAsync([.. objectIds.Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false)).Select(ToDomain)];
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

        var records = await WithChildrenAsync(query.OrderBy(a => a.ObjectId).Take(take), inObjectIdOrder: true, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(ToDomain)];
    }

    /// <summary>The object ids <see cref="FindAsync"/> returns, in its order: ids only, so each step is one small query.</summary>
    private async Task<List<string>> FindIdsAsync(string text, int max, CancellationToken cancellationToken)
    {
        if (text.Length == 0 || max <= 0)
        {
            return [];
        }

        var ids = await ExactIdsAsync(text, max, cancellationToken).ConfigureAwait(false);
        if (ids.Count < max)
        {
            ids.AddRange(await AppSearch.NamesAsync(db, text.ToLowerInvariant(), ids, max - ids.Count, cancellationToken).ConfigureAwait(false));
        }

        return ids;
    }

    /// <summary>The object ids <see cref="FindExactAsync"/> returns, in its order.</summary>
    private Task<List<string>> ExactIdsAsync(string text, int max, CancellationToken cancellationToken)
    {
        var lower = text.ToLowerInvariant();
        // Graph writes ids as lowercase GUIDs and the snapshot keeps them so: plain equality uses the indexes, where
        // lower(column) would read every App. The text as typed still matches an id stored otherwise.
        return db.Apps.AsNoTracking()
            .Where(a => !a.Deleted && (a.AppId == lower || a.AppId == text || a.ObjectId == lower || a.ObjectId == text || a.DisplayNameLower == lower))
            .OrderBy(a => a.DisplayNameLower).Select(a => a.ObjectId).Take(max)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Live Apps by object id, with every owner kind, in the order of <paramref name="ids"/>.</summary>
    private async Task<IReadOnlyList<App>> LoadInOrderAsync(List<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var records = (await LoadAsync(ids, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.ObjectId, StringComparer.Ordinal);
        return [.. ids.Where(records.ContainsKey).Select(id => ToDomain(records[id]))];
    }

    /// <summary>
    /// Live App rows with their credentials and owners, each read in one snapshot: one App by its compiled
    /// statements (<see cref="LiveByIdAsync"/>), several by <see cref="WithChildrenAsync"/>.
    /// </summary>
    private async Task<IReadOnlyList<AppRecord>> LoadAsync(List<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        if (ids.Count == 1)
        {
            return await LiveByIdAsync(ids[0], cancellationToken).ConfigureAwait(false) is { } record ? [record] : [];
        }

        return await WithChildrenAsync(Live().Where(a => EF.Parameter(ids).Contains(a.ObjectId)), inObjectIdOrder: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Live (not deleted) Apps.</summary>
    public Task<int> CountAsync(CancellationToken cancellationToken = default) => db.Apps.CountAsync(a => !a.Deleted, cancellationToken);

    internal static App ToDomain(AppRecord record) => new(
        record.ObjectId,
        record.AppId,
        record.DisplayName,
        record.Kind,
        // Ordered here, not by the query: one App's rows come back in the order of the statement that read them (by one id or
        // by several, SQLite or PostgreSQL), and every reader must see the same App alike.
        [.. record.Credentials.OrderBy(c => c.KeyId, StringComparer.Ordinal).Select(c => new Credential(c.KeyId, c.Kind, c.DisplayName, c.StartsAt, c.EndsAt))],
        [.. record.Owners.OrderBy(o => o.Kind).ThenBy(o => o.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(o => o.PersonObjectId, StringComparer.Ordinal)
            .Select(o => new Owner(o.Kind, o.PersonObjectId, o.DisplayName, o.UserPrincipalName, o.AccountEnabled, o.Deleted, o.ManageCredentials))],
        record.Tags.Length == 0 ? [] : record.Tags.Split('\n'),
        record.ExternallyManaged);

    /// <summary>
    /// One live App's record with its credentials and owners, read in one snapshot, so never half of a write. Three
    /// statements rather than one join: a join repeats every credential once per owner, and EF Core's shaper for
    /// included collections makes delegates through reflection for every row. An App that has been rotated often has
    /// dozens of credentials: with 60 credentials and 3 owners the join took five times as long.
    /// </summary>
    private Task<AppRecord?> LiveByIdAsync(string objectId, CancellationToken cancellationToken) =>
        db.InReadSnapshotAsync(
            async ct =>
            {
                if (await LiveById.For(db)(db, objectId, ct).ConfigureAwait(false) is not { } record)
                {
                    return null;
                }

                await foreach (var credential in CredentialsOf.For(db)(db, objectId).WithCancellation(ct).ConfigureAwait(false))
                {
                    record.Credentials.Add(credential);
                }

                await foreach (var owner in OwnersOf.For(db)(db, objectId).WithCancellation(ct).ConfigureAwait(false))
                {
                    record.Owners.Add(owner);
                }

                return record;
            },
            cancellationToken);

    /// <summary>Live App rows, without their credentials and owners (<see cref="WithChildrenAsync"/> reads those).</summary>
    private IQueryable<AppRecord> Live() => db.Apps.AsNoTracking().Where(a => !a.Deleted);

    /// <summary>
    /// The Apps <paramref name="apps"/> selects, then their credentials and their owners by the Apps' ids, in one read
    /// snapshot: one statement per table, where a join would repeat every App's credentials once per owner. Gathered
    /// here rather than by EF Core's included collections, whose shaper makes delegates through reflection for every row:
    /// reading a page of Apps so took twice as long.
    /// </summary>
    /// <param name="apps">The Apps to read.</param>
    /// <param name="inObjectIdOrder">
    /// <paramref name="apps"/> comes back in the store's object-id order (a keyset page), so its first and last ids bound
    /// its children's keys. The children are then also asked for within those bounds, which changes no result but the
    /// plan: PostgreSQL prices each of a page's 1,000 ids in <c>= ANY</c> as a descent of the index and, on a 200,000-App
    /// catalog, chose to scan the whole table instead, 70 ms a page, where the bounded read takes 1–3 ms (the compliance
    /// walk and the delta round's planning read every page; docs/benchmarks.md, session 40).
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    private Task<List<AppRecord>> WithChildrenAsync(IQueryable<AppRecord> apps, bool inObjectIdOrder, CancellationToken cancellationToken) =>
        db.InReadSnapshotAsync(
            async ct =>
            {
                var records = await apps.ToListAsync(ct).ConfigureAwait(false);
                if (records.Count == 0)
                {
                    return records;
                }

                var byId = records.ToDictionary(a => a.ObjectId, StringComparer.Ordinal);
                var ids = byId.Keys.ToList();
                var credentials = db.Credentials.AsNoTracking().Where(c => EF.Parameter(ids).Contains(c.AppObjectId));
                var owners = db.Owners.AsNoTracking().Where(o => EF.Parameter(ids).Contains(o.AppObjectId));
                if (inObjectIdOrder)
                {
                    var (first, last) = (records[0].ObjectId, records[^1].ObjectId);
                    credentials = credentials.Where(c => string.Compare(c.AppObjectId, first) >= 0 && string.Compare(c.AppObjectId, last) <= 0);
                    owners = owners.Where(o => string.Compare(o.AppObjectId, first) >= 0 && string.Compare(o.AppObjectId, last) <= 0);
                }

                await foreach (var credential in credentials.AsAsyncEnumerable().WithCancellation(ct).ConfigureAwait(false))
                {
                    byId[credential.AppObjectId].Credentials.Add(credential);
                }

                await foreach (var owner in owners.AsAsyncEnumerable().WithCancellation(ct).ConfigureAwait(false))
                {
                    byId[owner.AppObjectId].Owners.Add(owner);
                }

                return records;
            },
            cancellationToken);

    /// <summary>Builds the deferred indexes back when a first load is over.</summary>
    private sealed class DeferredIndexes(AppCatalog catalog, CredentialBotDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            catalog._loadingIntoEmptyStore = false;
            await SnapshotIndexes.EnsureAsync(db, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    private sealed class NoBulkLoad : IAsyncDisposable
    {
        public static readonly NoBulkLoad Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
