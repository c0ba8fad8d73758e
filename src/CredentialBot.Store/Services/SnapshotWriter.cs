using System.Globalization;
using CredentialBot.Domain;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Writes a batch of Apps read from the directory into the snapshot, inside the caller's transaction, so that any
/// number of writers (scan batches, per-app refreshes, a second scan, another instance) can write the same Apps at the
/// same time:
/// <list type="bullet">
/// <item>Each App row is taken first (read <c>FOR UPDATE</c> on PostgreSQL, in object-id order so overlapping batches
/// never deadlock; SQLite has one writer at a time), and only the writer holding it touches the App's credentials and
/// Entra owners. New Apps are inserted with <c>ON CONFLICT DO NOTHING</c>; one that another writer inserted meanwhile
/// is then taken like any stored App. Child rows are upserted on their natural keys, so no interleaving can raise a
/// duplicate key.</item>
/// <item>A write whose directory read began before the stored one's (<c>LastSeenAt</c>) is dropped: an older read never
/// replaces a newer one, whichever commits last.</item>
/// <item>What did not change is not written: an App whose content hash matches the stored one only gets its
/// <c>LastSeenAt</c> moved; a changed App gets only the credential and owner rows that differ.</item>
/// </list>
/// </summary>
internal sealed class SnapshotWriter(CredentialBotDbContext db)
{
    internal static readonly RowShape NewApp = new("Apps", [
        ("ObjectId", ColumnType.Text), ("AppId", ColumnType.Text), ("DisplayName", ColumnType.Text), ("DisplayNameLower", ColumnType.Text),
        ("Kind", ColumnType.Text), ("Tags", ColumnType.Text), ("LastSeenAt", ColumnType.Int64), ("ContentHash", ColumnType.Int64),
        ("ExternallyManaged", ColumnType.Boolean), ("Deleted", ColumnType.Boolean)]);

    private static readonly RowShape ChangedApp = new("Apps", [
        ("ObjectId", ColumnType.Text), ("AppId", ColumnType.Text), ("DisplayName", ColumnType.Text), ("DisplayNameLower", ColumnType.Text),
        ("Kind", ColumnType.Text), ("Tags", ColumnType.Text), ("LastSeenAt", ColumnType.Int64), ("ContentHash", ColumnType.Int64),
        ("Deleted", ColumnType.Boolean)]);

    internal static readonly RowShape CredentialRow = new("Credentials", [
        ("AppObjectId", ColumnType.Text), ("KeyId", ColumnType.Text), ("Kind", ColumnType.Text), ("DisplayName", ColumnType.Text),
        ("StartsAt", ColumnType.Int64), ("EndsAt", ColumnType.Int64)]);

    internal static readonly RowShape OwnerRow = new("Owners", [
        ("AppObjectId", ColumnType.Text), ("PersonObjectId", ColumnType.Text), ("Kind", ColumnType.Text), ("DisplayName", ColumnType.Text),
        ("UserPrincipalName", ColumnType.Text), ("AccountEnabled", ColumnType.Boolean), ("Deleted", ColumnType.Boolean),
        ("ManageCredentials", ColumnType.Boolean), ("UpdatedAt", ColumnType.Int64)]);

    private static readonly string[] CredentialKey = ["AppObjectId", "KeyId"];
    private static readonly string[] CredentialValues = ["Kind", "DisplayName", "StartsAt", "EndsAt"];
    private static readonly string[] OwnerKey = ["AppObjectId", "PersonObjectId", "Kind"];
    private static readonly string[] OwnerValues = ["DisplayName", "UserPrincipalName", "AccountEnabled", "Deleted", "ManageCredentials", "UpdatedAt"];
    internal static readonly string[] StoredColumns = ["ObjectId", "ContentHash", "LastSeenAt", "ExternallyManaged"];

    /// <remarks>
    /// <c>mostlyNew</c> says most of the Apps are expected to be new (a first load into an empty store): inserting them
    /// before reading is then cheaper than reading every key first (<see cref="RowSetWriter.TakeAsync"/>). The result is
    /// the same either way.
    /// </remarks>
    public async Task<SnapshotWrite> WriteAsync(IReadOnlyCollection<App> apps, DateTimeOffset readStartedAt, DateTimeOffset now, bool mostlyNew, CancellationToken cancellationToken)
    {
        var contents = apps.DistinctBy(a => a.ObjectId, StringComparer.Ordinal).Select(SnapshotContent.Of).OrderBy(c => c.ObjectId, StringComparer.Ordinal).ToList();
        var rows = RowSetWriter.For(db);
        var seen = readStartedAt.UtcTicks;
        var seenBoxed = (object)seen;
        // Every App of the batch is taken (new ones inserted whole) before anything is read or compared.
        var (inserted, storedRows) = await rows.TakeAsync(NewApp, [.. contents.Select(c => NewAppRow(c, seenBoxed))], StoredColumns, mostlyNew, cancellationToken).ConfigureAwait(false);
        var stored = storedRows.ToDictionary(
            r => (string)r[0]!,
            r => new StoredApp(r[1] is null ? null : Convert.ToInt64(r[1], CultureInfo.InvariantCulture), Convert.ToInt64(r[2], CultureInfo.InvariantCulture), Convert.ToBoolean(r[3], CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);
        var current = contents.Where(c => stored.TryGetValue(c.ObjectId, out var s) && s.LastSeenAt <= seen).ToList();
        var unchanged = current.Where(c => stored[c.ObjectId].ContentHash == c.Hash).ToList();
        var changed = current.Where(c => stored[c.ObjectId].ContentHash != c.Hash).ToList();

        await rows.SetAllAsync("Apps", "ObjectId", [.. unchanged.Select(c => c.ObjectId)], [("LastSeenAt", seen), ("Deleted", false)], cancellationToken).ConfigureAwait(false);
        await rows.UpdateAsync(ChangedApp, [.. changed.Select(c => ChangedAppRow(c, seenBoxed))], cancellationToken).ConfigureAwait(false);
        await WriteChildrenAsync(rows, [.. contents.Where(c => inserted.Contains(c.ObjectId))], changed, now.UtcTicks, cancellationToken).ConfigureAwait(false);
        return new SnapshotWrite(
            new SnapshotWriteCounts(inserted.Count, changed.Count, unchanged.Count, contents.Count - inserted.Count - changed.Count - unchanged.Count),
            inserted,
            stored.Where(s => s.Value.ExternallyManaged).Select(s => s.Key).ToHashSet(StringComparer.Ordinal),
            stored.Where(s => s.Value.LastSeenAt > seen).Select(s => s.Key).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// New Apps get all their rows, plainly inserted: nothing can hold their keys, since every such row references an App
    /// row this transaction inserted and holds. Changed Apps are compared with what is stored: rows no longer there are
    /// deleted, new or different ones upserted, equal ones left alone.
    /// </summary>
    private async Task WriteChildrenAsync(RowSetWriter rows, List<SnapshotContent> inserted, List<SnapshotContent> changed, long now, CancellationToken cancellationToken)
    {
        // Loops, not SelectMany: a first load writes 600,000 such rows, and a lambda per App is a closure per App.
        var newCredentials = new List<object?[]>();
        var newOwners = new List<object?[]>();
        var written = (object)now;
        foreach (var content in inserted)
        {
            foreach (var credential in content.Credentials)
            {
                newCredentials.Add(CredentialValuesOf(content.ObjectId, credential));
            }

            foreach (var owner in content.EntraOwners)
            {
                newOwners.Add(OwnerValuesOf(content.ObjectId, owner, written));
            }
        }

        await rows.InsertAsync(CredentialRow, newCredentials, cancellationToken).ConfigureAwait(false);
        await rows.InsertAsync(OwnerRow, newOwners, cancellationToken).ConfigureAwait(false);
        if (changed.Count == 0)
        {
            return;
        }

        // Changed rows are matched on the children's unique keys, which a first load on SQLite may have set aside.
        await SnapshotIndexes.EnsureKeysAsync(db, cancellationToken).ConfigureAwait(false);
        var credentialRows = new List<object?[]>();
        var ownerRows = new List<object?[]>();
        var credentialsGone = new List<long>();
        var ownersGone = new List<long>();
        var ids = changed.Select(c => c.ObjectId).ToList();
        var storedCredentials = (await db.Credentials.AsNoTracking().Where(c => EF.Parameter(ids).Contains(c.AppObjectId)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(c => c.AppObjectId, StringComparer.Ordinal);
        var storedOwners = (await db.Owners.AsNoTracking().Where(o => EF.Parameter(ids).Contains(o.AppObjectId) && o.Kind == OwnerKind.Entra).ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(o => o.AppObjectId, StringComparer.Ordinal);
        foreach (var content in changed)
        {
            var credentials = storedCredentials[content.ObjectId].ToDictionary(c => c.KeyId, StringComparer.Ordinal);
            var wanted = content.Credentials.Select(c => c.KeyId).ToHashSet(StringComparer.Ordinal);
            credentialsGone.AddRange(credentials.Values.Where(c => !wanted.Contains(c.KeyId)).Select(c => c.Id));
            credentialRows.AddRange(content.Credentials
                .Where(k => !credentials.TryGetValue(k.KeyId, out var s) || s.Kind != k.Kind || s.DisplayName != k.DisplayName || s.StartsAt != k.StartsAt || s.EndsAt != k.EndsAt)
                .Select(k => CredentialValuesOf(content.ObjectId, k)));

            var owners = storedOwners[content.ObjectId].ToDictionary(o => o.PersonObjectId, StringComparer.Ordinal);
            var people = content.EntraOwners.Select(o => o.ObjectId).ToHashSet(StringComparer.Ordinal);
            ownersGone.AddRange(owners.Values.Where(o => !people.Contains(o.PersonObjectId)).Select(o => o.Id));
            ownerRows.AddRange(content.EntraOwners
                .Where(o => !owners.TryGetValue(o.ObjectId, out var s) || s.DisplayName != o.DisplayName || s.UserPrincipalName != o.UserPrincipalName || s.AccountEnabled != o.AccountEnabled || s.Deleted != o.Deleted || !s.ManageCredentials)
                .Select(o => OwnerValuesOf(content.ObjectId, o, written)));
        }

        await rows.DeleteAsync("Credentials", "Id", credentialsGone, cancellationToken).ConfigureAwait(false);
        await rows.DeleteAsync("Owners", "Id", ownersGone, cancellationToken).ConfigureAwait(false);
        await rows.UpsertAsync(CredentialRow, CredentialKey, CredentialValues, credentialRows, cancellationToken).ConfigureAwait(false);
        await rows.UpsertAsync(OwnerRow, OwnerKey, OwnerValues, ownerRows, cancellationToken).ConfigureAwait(false);
    }

    private static object?[] NewAppRow(SnapshotContent content, object seen)
    {
        var app = content.App;
        return [app.ObjectId, app.AppId, app.DisplayName, app.DisplayName.ToLowerInvariant(), app.Kind.ToString(), Tags(app), seen, content.Hash, Boxed.False, Boxed.False];
    }

    private static object?[] ChangedAppRow(SnapshotContent content, object seen)
    {
        var app = content.App;
        return [app.ObjectId, app.AppId, app.DisplayName, app.DisplayName.ToLowerInvariant(), app.Kind.ToString(), Tags(app), seen, content.Hash, Boxed.False];
    }

    private static string Tags(App app) => string.Join('\n', app.TagsOrEmpty);

    private static object?[] CredentialValuesOf(string app, Credential credential) =>
        [app, credential.KeyId, credential.Kind.ToString(), credential.DisplayName, credential.StartsAt?.UtcTicks, credential.EndsAt.UtcTicks];

    private static object?[] OwnerValuesOf(string app, Owner owner, object written) =>
        [app, owner.ObjectId, nameof(OwnerKind.Entra), owner.DisplayName, owner.UserPrincipalName, Boxed.Of(owner.AccountEnabled), Boxed.Of(owner.Deleted), Boxed.True, written];

    private sealed record StoredApp(long? ContentHash, long LastSeenAt, bool ExternallyManaged);
}
