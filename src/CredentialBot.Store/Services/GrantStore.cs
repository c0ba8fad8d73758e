using System.Linq.Expressions;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Grants from approved elevations.</summary>
public sealed class GrantStore(CredentialBotDbContext db)
{
    /// <summary>A grant as it is read: in queries (translated to its columns) and, compiled, for rows already loaded.</summary>
    private static readonly Expression<Func<GrantRecord, Grant>> AsGrant = g => new Grant(g.Id, g.AppObjectId, g.PersonObjectId, g.Right, g.StartsAt, g.EndsAt, g.Revoked);

    private static readonly Func<GrantRecord, Grant> ToGrant = AsGrant.Compile();

    // Compiled once: every action on an App reads the actor's grants, and every approval its request's grant.
    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, string, string, DateTimeOffset, IAsyncEnumerable<Grant>>> Current = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, string personObjectId, string appObjectId, DateTimeOffset now) =>
            context.Grants.AsNoTracking()
                .Where(g => g.PersonObjectId == personObjectId && g.AppObjectId == appObjectId && !g.Revoked && g.EndsAt > now)
                .Select(AsGrant)));

    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, long, CancellationToken, Task<Grant?>>> ByRequest = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, long requestId, CancellationToken _) =>
            context.Grants.AsNoTracking().Where(g => g.RequestId == requestId)
                .Select(AsGrant)
                .FirstOrDefault()));

    /// <summary>The person's grants on one App that have not ended.</summary>
    public async Task<IReadOnlyList<Grant>> CurrentForAsync(string personObjectId, string appObjectId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var grants = new List<Grant>();
        await foreach (var grant in Current.For(db)(db, personObjectId, appObjectId, now).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            grants.Add(grant);
        }

        return grants;
    }

    public Task<Grant?> ForRequestAsync(long requestId, CancellationToken cancellationToken = default) =>
        ByRequest.For(db)(db, requestId, cancellationToken);

    public Task SetPimRequestAsync(long grantId, string pimRequestId, CancellationToken cancellationToken = default) =>
        db.Grants.Where(g => g.Id == grantId).ExecuteUpdateAsync(set => set.SetProperty(g => g.PimRequestId, pimRequestId), cancellationToken);

    /// <summary>
    /// Grants that have ended and whose end was not yet handled; each is returned by exactly one caller (the
    /// handled mark is a conditional update).
    /// </summary>
    public async Task<IReadOnlyList<Grant>> ClaimEndedAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ended = await db.Grants.AsNoTracking().Where(g => g.EndHandledAt == null && g.EndsAt <= now)
            .OrderBy(g => g.EndsAt).Take(100).ToListAsync(cancellationToken).ConfigureAwait(false);
        var claimed = new List<Grant>();
        foreach (var g in ended)
        {
            if (await db.Grants.Where(x => x.Id == g.Id && x.EndHandledAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(x => x.EndHandledAt, now), cancellationToken).ConfigureAwait(false) == 1)
            {
                claimed.Add(ToGrant(g));
            }
        }

        return claimed;
    }
}
