using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Elevation and owner-change requests. A decision is one conditional UPDATE (<c>WHERE Status = 'Pending'</c>) in
/// the same transaction as the grant it creates, so two approvers clicking at once produce exactly one outcome.
/// </summary>
public sealed class AccessRequestStore(CredentialBotDbContext db)
{
    /// <summary>Compiled once: every approval reads its request, and EF Core would otherwise walk the query's expression.</summary>
    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, long, CancellationToken, Task<AccessRequestRecord?>>> ById = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, long id, CancellationToken _) =>
            context.AccessRequests.AsNoTracking().FirstOrDefault(r => r.Id == id)));

    public async Task<AccessRequest> CreateAsync(AccessRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = new AccessRequestRecord
        {
            Kind = request.Kind,
            AppObjectId = request.AppObjectId,
            RequesterObjectId = request.RequesterObjectId,
            RequesterName = request.RequesterName,
            Right = request.Right,
            DurationTicks = request.Duration?.Ticks,
            Justification = request.Justification,
            Ticket = request.Ticket,
            PersonObjectId = request.Change?.PersonObjectId,
            PersonName = request.Change?.PersonName,
            PersonUpn = request.Change?.PersonUpn,
            OwnerKind = request.Change?.Kind,
            ManageCredentials = request.Change?.ManageCredentials ?? false,
            ReplacesObjectId = request.Change?.ReplacesObjectId,
            Status = AccessRequestStatus.Pending,
            CreatedAt = request.CreatedAt,
            DecideBy = request.DecideBy,
        };
        db.AccessRequests.Add(record);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.Entry(record).State = EntityState.Detached;
        return request with { Id = record.Id, Status = AccessRequestStatus.Pending };
    }

    public async Task<AccessRequest?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var record = await ById.For(db)(db, id, cancellationToken).ConfigureAwait(false);
        return record is null ? null : ToDomain(record);
    }

    /// <summary>
    /// Records a decision made on a pending request, with the grant an approved elevation creates. False when the
    /// request was no longer pending: someone else decided first, and nothing was written.
    /// </summary>
    public async Task<bool> RecordDecisionAsync(AccessRequest decided, Grant? grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);

        // Inside the caller's transaction (an audited change: the decision commits with its audit event) or in its own.
        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
        try
        {
            var changed = await db.AccessRequests
                .Where(r => r.Id == decided.Id && r.Status == AccessRequestStatus.Pending)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(r => r.Status, decided.Status)
                    .SetProperty(r => r.DecidedByObjectId, decided.DecidedByObjectId)
                    .SetProperty(r => r.DecidedByName, decided.DecidedByName)
                    .SetProperty(r => r.DecidedAt, decided.DecidedAt), cancellationToken)
                .ConfigureAwait(false);
            if (changed != 1)
            {
                return false;
            }

            if (grant is not null)
            {
                db.Grants.Add(new GrantRecord
                {
                    RequestId = decided.Id,
                    AppObjectId = grant.AppObjectId,
                    PersonObjectId = grant.PersonObjectId,
                    Right = grant.Right,
                    StartsAt = grant.StartsAt,
                    EndsAt = grant.EndsAt,
                });
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Remembers where the approval cards were posted (JSON written by the host).</summary>
    public Task SetApprovalCardsAsync(long id, string cards, CancellationToken cancellationToken = default) =>
        db.AccessRequests.Where(r => r.Id == id).ExecuteUpdateAsync(set => set.SetProperty(r => r.ApprovalCards, cards), cancellationToken);

    public Task<string?> GetApprovalCardsAsync(long id, CancellationToken cancellationToken = default) =>
        db.AccessRequests.Where(r => r.Id == id).Select(r => r.ApprovalCards).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Marks pending requests past their decision window as expired; returns them.</summary>
    public async Task<IReadOnlyList<AccessRequest>> ExpireLapsedAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var lapsed = await db.AccessRequests.AsNoTracking()
            .Where(r => r.Status == AccessRequestStatus.Pending && r.DecideBy <= now)
            .OrderBy(r => r.Id).Take(100).ToListAsync(cancellationToken).ConfigureAwait(false);
        var expired = new List<AccessRequest>();
        foreach (var record in lapsed)
        {
            var changed = await db.AccessRequests.Where(r => r.Id == record.Id && r.Status == AccessRequestStatus.Pending)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, AccessRequestStatus.Expired), cancellationToken).ConfigureAwait(false);
            if (changed == 1)
            {
                expired.Add(ToDomain(record) with { Status = AccessRequestStatus.Expired });
            }
        }

        return expired;
    }

    private static AccessRequest ToDomain(AccessRequestRecord r) => new(
        r.Id,
        r.Kind,
        r.AppObjectId,
        r.RequesterObjectId,
        r.RequesterName,
        r.Right,
        r.DurationTicks is { } ticks ? TimeSpan.FromTicks(ticks) : null,
        r.Justification,
        r.Ticket,
        r.PersonObjectId is { } person && r.OwnerKind is { } kind
            ? new OwnerChange(person, r.PersonName ?? person, r.PersonUpn, kind, r.ManageCredentials, r.ReplacesObjectId)
            : null,
        r.Status,
        r.CreatedAt,
        r.DecideBy,
        r.DecidedByObjectId,
        r.DecidedByName,
        r.DecidedAt);
}
