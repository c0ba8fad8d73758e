using CredentialBot.Domain;
using CredentialBot.Store;
using CredentialBot.Store.Services;

namespace CredentialBot.Shared.Apps;

/// <summary>
/// After CredentialBot changes an App in the tenant, its snapshot is brought up to date at once, so cards drawn next
/// show the new secret or owner instead of waiting for the next scan: either from what the directory answered the
/// change with (<see cref="StoreChangeAsync"/>, no Graph request), or by reading the App again (<see cref="RefreshAsync"/>).
/// </summary>
public sealed class AppRefresher(ITenantAdministration administration, AppCatalog catalog, CredentialBotDbContext db, TimeProvider time)
{
    public async Task<App?> RefreshAsync(AppKind kind, string objectId, CancellationToken cancellationToken)
    {
        // Taken before asking: the snapshot keeps whichever write comes from the later read (AppCatalog.UpsertSnapshotAsync).
        var readStartedAt = time.GetUtcNow();
        var fresh = await administration.GetAppAsync(kind, objectId, cancellationToken);
        if (fresh is null)
        {
            return await catalog.GetAsync(objectId, cancellationToken);
        }

        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using (transaction)
        {
            await catalog.UpsertSnapshotAsync([fresh], readStartedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await catalog.GetAsync(objectId, cancellationToken);
    }

    /// <summary>
    /// Stores <paramref name="change"/> applied to the App as the snapshot holds it — a change the directory has just
    /// confirmed (addPassword's answer, a removePassword that succeeded) — without reading the App from Graph again: a
    /// person waiting for a dialog never queues behind the scan for a read, and the janitor spends one Graph request
    /// per removal. Call it once the directory has answered. Returns the App as stored, or null when the snapshot no
    /// longer has it.
    /// </summary>
    /// <remarks>
    /// The write counts as a directory read begun now (after the change): a scan page read before the change, which
    /// cannot show it, and written after this is dropped for this App (<see cref="AppCatalog.UpsertSnapshotAsync"/>);
    /// the App's other fields then stay as stored until the next scan reads it. Two changes of one App at once both
    /// land (<see cref="AppCatalog.ChangeSnapshotAsync"/>).
    /// </remarks>
    public Task<App?> StoreChangeAsync(string objectId, Func<App, App> change, CancellationToken cancellationToken) =>
        catalog.ChangeSnapshotAsync(objectId, change, time.GetUtcNow(), cancellationToken);
}
