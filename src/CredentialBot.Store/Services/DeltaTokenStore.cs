using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>The last Graph delta link per collection (applications, servicePrincipals).</summary>
public sealed class DeltaTokenStore(CredentialBotDbContext db, TimeProvider time)
{
    public async Task<string?> GetAsync(string collection, CancellationToken cancellationToken = default) =>
        (await db.DeltaTokens.AsNoTracking().FirstOrDefaultAsync(d => d.Collection == collection, cancellationToken).ConfigureAwait(false))?.DeltaLink;

    public async Task SetAsync(string collection, string? deltaLink, CancellationToken cancellationToken = default)
    {
        var row = await db.DeltaTokens.FirstOrDefaultAsync(d => d.Collection == collection, cancellationToken).ConfigureAwait(false);
        if (deltaLink is null)
        {
            if (row is not null)
            {
                db.DeltaTokens.Remove(row);
            }
        }
        else if (row is null)
        {
            db.DeltaTokens.Add(new DeltaTokenRecord { Collection = collection, DeltaLink = deltaLink, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            row.DeltaLink = deltaLink;
            row.UpdatedAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
