using CredentialBot.Domain;
using CredentialBot.Store;
using CredentialBot.Store.Services;

namespace CredentialBot.Shared.Apps;

/// <summary>
/// After CredentialBot changes an App in the tenant, its snapshot is re-read from the directory at once, so cards
/// drawn next show the new secret or owner instead of waiting for the next scan.
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
}
