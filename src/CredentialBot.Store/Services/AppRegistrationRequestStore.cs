using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.Domain;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>
/// Requests for new app registrations. Every step is one conditional UPDATE from the step before (Pending → Approved
/// or Denied, Approved → Created or Failed), so two approvers clicking at once, or one clicking twice, move a request
/// once: exactly one of them goes on to create the App.
/// </summary>
public sealed class AppRegistrationRequestStore(CredentialBotDbContext db)
{
    public async Task<AppRegistrationRequest> CreateAsync(AppRegistrationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = new AppRegistrationRequestRecord
        {
            DisplayName = request.DisplayName,
            Purpose = request.Purpose,
            Type = request.Type,
            TechnicalOwners = JsonSerializer.Serialize(request.TechnicalOwners, AppRequestJsonContext.Default.IReadOnlyListRequestedPerson),
            BusinessOwnerObjectId = request.BusinessOwner.ObjectId,
            BusinessOwnerName = request.BusinessOwner.DisplayName,
            BusinessOwnerUpn = request.BusinessOwner.UserPrincipalName,
            PolicyName = request.PolicyName,
            Ticket = request.Ticket,
            RequesterObjectId = request.RequesterObjectId,
            RequesterName = request.RequesterName,
            Status = AppRegistrationRequestStatus.Pending,
            CreatedAt = request.CreatedAt,
            DecideBy = request.DecideBy,
        };
        db.AppRegistrationRequests.Add(record);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.Entry(record).State = EntityState.Detached;
        return request with { Id = record.Id, Status = AppRegistrationRequestStatus.Pending };
    }

    public async Task<AppRegistrationRequest?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var record = await db.AppRegistrationRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
        return record is null ? null : ToDomain(record);
    }

    /// <summary>
    /// Records an approval or denial of a pending request (inside the caller's audited change). False when it was no
    /// longer pending: someone decided first, and nothing was written.
    /// </summary>
    public async Task<bool> RecordDecisionAsync(AppRegistrationRequest decided, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);
        return await db.AppRegistrationRequests
            .Where(r => r.Id == decided.Id && r.Status == AppRegistrationRequestStatus.Pending)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, decided.Status)
                .SetProperty(r => r.DecidedByObjectId, decided.DecidedByObjectId)
                .SetProperty(r => r.DecidedByName, decided.DecidedByName)
                .SetProperty(r => r.DecidedAt, decided.DecidedAt)
                .SetProperty(r => r.Reason, decided.Reason), cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Records how creating an approved request's App ended: <see cref="AppRegistrationRequestStatus.Created"/> with the
    /// App's object id, or <see cref="AppRegistrationRequestStatus.Failed"/>. False when it was not waiting for that.
    /// </summary>
    public async Task<bool> RecordOutcomeAsync(long id, AppRegistrationRequestStatus status, string? appObjectId, string? outcome, CancellationToken cancellationToken = default)
    {
        if (status is not (AppRegistrationRequestStatus.Created or AppRegistrationRequestStatus.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Only Created or Failed end an approved request.");
        }

        return await db.AppRegistrationRequests
            .Where(r => r.Id == id && r.Status == AppRegistrationRequestStatus.Approved)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.CreatedAppObjectId, appObjectId)
                .SetProperty(r => r.Outcome, outcome), cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    /// <summary>How many other requests still pending or being created ask for an App named <paramref name="displayName"/> (any case).</summary>
    public Task<int> CountOpenWithNameAsync(string displayName, long exceptId = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        var lower = displayName.Trim().ToLowerInvariant();
#pragma warning disable CA1862 // ToLower is translated to SQL lower(), the same on SQLite and PostgreSQL.
        return db.AppRegistrationRequests.CountAsync(
            r => r.Id != exceptId && r.DisplayName.ToLower() == lower && (r.Status == AppRegistrationRequestStatus.Pending || r.Status == AppRegistrationRequestStatus.Approved),
            cancellationToken);
#pragma warning restore CA1862
    }

    /// <summary>Marks pending requests past their decision window as expired, at most 100 at a time; returns them.</summary>
    public async Task<IReadOnlyList<AppRegistrationRequest>> ExpireLapsedAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var lapsed = await db.AppRegistrationRequests.AsNoTracking()
            .Where(r => r.Status == AppRegistrationRequestStatus.Pending && r.DecideBy <= now)
            .OrderBy(r => r.Id).Take(100).ToListAsync(cancellationToken).ConfigureAwait(false);
        var expired = new List<AppRegistrationRequest>();
        foreach (var record in lapsed)
        {
            var changed = await db.AppRegistrationRequests.Where(r => r.Id == record.Id && r.Status == AppRegistrationRequestStatus.Pending)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, AppRegistrationRequestStatus.Expired), cancellationToken).ConfigureAwait(false);
            if (changed == 1)
            {
                expired.Add(ToDomain(record) with { Status = AppRegistrationRequestStatus.Expired });
            }
        }

        return expired;
    }

    /// <summary>Remembers where the approval cards were posted (JSON written by the host).</summary>
    public Task SetApprovalCardsAsync(long id, string cards, CancellationToken cancellationToken = default) =>
        db.AppRegistrationRequests.Where(r => r.Id == id).ExecuteUpdateAsync(set => set.SetProperty(r => r.ApprovalCards, cards), cancellationToken);

    public Task<string?> GetApprovalCardsAsync(long id, CancellationToken cancellationToken = default) =>
        db.AppRegistrationRequests.Where(r => r.Id == id).Select(r => r.ApprovalCards).FirstOrDefaultAsync(cancellationToken);

    private static AppRegistrationRequest ToDomain(AppRegistrationRequestRecord r) => new(
        r.Id,
        r.DisplayName,
        r.Purpose,
        r.Type,
        JsonSerializer.Deserialize(r.TechnicalOwners, AppRequestJsonContext.Default.IReadOnlyListRequestedPerson) ?? [],
        new RequestedPerson(r.BusinessOwnerObjectId, r.BusinessOwnerName, r.BusinessOwnerUpn),
        r.PolicyName,
        r.Ticket,
        r.RequesterObjectId,
        r.RequesterName,
        r.Status,
        r.CreatedAt,
        r.DecideBy,
        r.DecidedByObjectId,
        r.DecidedByName,
        r.DecidedAt,
        r.Reason,
        r.CreatedAppObjectId,
        r.Outcome);
}

[JsonSerializable(typeof(IReadOnlyList<RequestedPerson>))]
internal sealed partial class AppRequestJsonContext : JsonSerializerContext;
