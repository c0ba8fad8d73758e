using CredentialBot.BotFramework.Cards;
using CredentialBot.Cards;
using CredentialBot.Domain;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Actions;

/// <summary>
/// The life of a request: sent to the policy's approval channel (or, without one, to the App's owners 1:1), decided
/// once by an owner or admin who is not the requester, applied (a grant, a PIM assignment, an owner change), told to
/// the requester, and redrawn on every copy of the approval card.
/// </summary>
public sealed partial class Approvals(
    AccessRequestStore requests,
    GrantStore grants,
    AppCatalog catalog,
    AccessControl access,
    Messenger messenger,
    OwnerChanges ownerChanges,
    ITenantAdministration administration,
    IOptions<AuthorizationOptions> options,
    TimeProvider time,
    ILogger<Approvals> logger)
{
    /// <summary>Teams refreshes a card automatically for at most 60 listed users.</summary>
    private const int MaxRefreshUsers = 60;

    /// <summary>Owners asked one by one when the policy names no approval channel.</summary>
    private const int MaxDirectApprovers = 10;

    /// <summary>Stores a new request and posts its approval card; the answer tells the requester where it went.</summary>
    public async Task<string> SubmitAsync(AccessRequest draft, App app, Policy policy, Principal requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        var request = await requests.CreateAsync(draft, cancellationToken).ConfigureAwait(false);
        var approvers = Authorizer.OwnerApprovers(app, request);
        var card = RequestCard.Build(request, app, time.GetUtcNow(), await RefreshUsersAsync(approvers, cancellationToken).ConfigureAwait(false));
        var summary = RequestCard.Title(request, app);

        var posted = new List<PostedCard>();
        string where;
        if (!string.IsNullOrWhiteSpace(policy.ApprovalChannelId)
            && await messenger.SendToConversationAsync(policy.ApprovalChannelId, card, summary, cancellationToken).ConfigureAwait(false) is { } inChannel)
        {
            posted.Add(inChannel);
            where = "the approval channel";
        }
        else
        {
            var reached = new List<string>();
            foreach (var approver in approvers.Take(MaxDirectApprovers))
            {
                if (await messenger.SendToPersonAsync(approver.ObjectId, card, summary, cancellationToken).ConfigureAwait(false) is { } direct)
                {
                    posted.Add(direct);
                    reached.Add(approver.DisplayName);
                }
            }

            where = reached.Count > 0 ? string.Join(", ", reached) : string.Empty;
        }

        await requests.SetApprovalCardsAsync(request.Id, Messenger.Serialize(posted), cancellationToken).ConfigureAwait(false);
        var operation = request.Kind == AccessRequestKind.Elevation ? AuditOperations.RequestElevation : AuditOperations.RequestOwnerChange;
        if (posted.Count == 0)
        {
            await access.AuditAsync(requester, app.ObjectId, operation, "Undeliverable", $"Request {request.Id}: no approver could be reached. {request.Justification}", request.Ticket, cancellationToken).ConfigureAwait(false);
            return $"Your request was recorded, but no approver could be reached: only {Authorizer.WhoCanApprove(app, request)} can approve it, none of those owners has the bot installed, and policy {policy.Name} names no approval channel. Ask one of them to open CredentialBot in Teams.";
        }

        await access.AuditAsync(requester, app.ObjectId, operation, "Submitted", $"Request {request.Id} sent to {where}. {request.Justification}", request.Ticket, cancellationToken).ConfigureAwait(false);
        return $"Your request was sent to {where} for approval. You will get a message when someone decides.";
    }

    /// <summary>The approval card as <paramref name="viewer"/> should see it: buttons only for those who may decide.</summary>
    public async Task<AdaptiveCard> ViewAsync(long id, Principal viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var request = await requests.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var app = request is null ? null : await catalog.GetAsync(request.AppObjectId, cancellationToken).ConfigureAwait(false);
        if (request is null || app is null)
        {
            return ActionCards.Notice("Request not found", "That request or its app no longer exists.");
        }

        return await RenderAsync(request, app, viewer, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Approves or denies; the answer is the card to show the person who clicked.</summary>
    public async Task<AdaptiveCard> DecideAsync(long id, Principal approver, bool approve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approver);
        var request = await requests.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var app = request is null ? null : await catalog.GetAsync(request.AppObjectId, cancellationToken).ConfigureAwait(false);
        if (request is null || app is null)
        {
            await access.RefusedAsync(approver, app?.ObjectId, AuditOperations.DecideRequest, $"No request {id}", null, cancellationToken).ConfigureAwait(false);
            return ActionCards.Notice("Request not found", "That request or its app no longer exists; nothing was decided.", Urgency.Critical);
        }

        var now = time.GetUtcNow();
        var (decided, decision) = request.Decide(approver, app, approve, now);
        if (decided is null)
        {
            await access.RefusedAsync(approver, app.ObjectId, AuditOperations.DecideRequest, $"Request {id}: {decision.Explanation}", request.Ticket, cancellationToken).ConfigureAwait(false);
            return await RenderAsync(request, app, approver, decision.Explanation, cancellationToken).ConfigureAwait(false);
        }

        var grant = approve && request.Kind == AccessRequestKind.Elevation && request.Right is { } right && request.Duration is { } duration
            ? new Grant(0, app.ObjectId, request.RequesterObjectId, right, now, now + duration)
            : null;
        if (!await requests.RecordDecisionAsync(decided, grant, cancellationToken).ConfigureAwait(false))
        {
            // Another approver's click committed first; show what they decided.
            var current = await requests.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? request;
            var stale = $"This request was already {current.Status.ToString().ToLowerInvariant()} by {current.DecidedByName ?? "someone else"}.";
            await access.RefusedAsync(approver, app.ObjectId, AuditOperations.DecideRequest, $"Request {id}: {stale}", request.Ticket, cancellationToken).ConfigureAwait(false);
            return await RenderAsync(current, app, approver, stale, cancellationToken).ConfigureAwait(false);
        }

        await access.AuditAsync(approver, app.ObjectId, AuditOperations.DecideRequest, approve ? "Approved" : "Denied", $"Request {id}: {RequestCard.Title(request, app)}", request.Ticket, cancellationToken).ConfigureAwait(false);
        LogDecided(logger, id, approve);

        var outcome = approve ? await ApplyAsync(decided, app, approver, cancellationToken).ConfigureAwait(false) : $"Your request ({RequestCard.Title(request, app)}) was denied by {approver.DisplayName ?? "an approver"}.";
        await messenger.SendToPersonAsync(request.RequesterObjectId, ActionCards.Notice(approve ? "Request approved" : "Request denied", CardText.Literal(outcome, 500), approve ? Urgency.Healthy : Urgency.Warning), outcome, cancellationToken).ConfigureAwait(false);

        var forEveryone = await RenderAsync(decided, app, viewer: null, notice: null, cancellationToken).ConfigureAwait(false);
        foreach (var posted in Messenger.Deserialize(await requests.GetApprovalCardsAsync(id, cancellationToken).ConfigureAwait(false)))
        {
            await messenger.UpdateAsync(posted, forEveryone, cancellationToken).ConfigureAwait(false);
        }

        return forEveryone;
    }

    private async Task<string> ApplyAsync(AccessRequest decided, App app, Principal approver, CancellationToken cancellationToken)
    {
        if (decided.Kind != AccessRequestKind.Elevation)
        {
            var (_, message) = await ownerChanges.ApplyAsync(app, decided.Change!, approver, $"Approved request {decided.Id} by {decided.RequesterName}: {decided.Justification}", decided.Ticket, cancellationToken).ConfigureAwait(false);
            return $"Approved by {approver.DisplayName ?? "an approver"}: {message}";
        }

        var grant = await grants.ForRequestAsync(decided.Id, cancellationToken).ConfigureAwait(false);
        var settings = options.Value;
        var pim = string.Empty;
        if (grant is not null && settings.PimEnabled && settings.PimRoleDefinitionId is { } role)
        {
            try
            {
                var pimId = await administration.AssignTimeBoundRoleAsync(decided.RequesterObjectId, role, app.ObjectId, grant.StartsAt, grant.EndsAt - grant.StartsAt, decided.Justification ?? "CredentialBot elevation", decided.Ticket, cancellationToken).ConfigureAwait(false);
                await grants.SetPimRequestAsync(grant.Id, pimId, cancellationToken).ConfigureAwait(false);
                await access.AuditAsync(approver, app.ObjectId, AuditOperations.PimAssignment, "Succeeded", $"Request {decided.Id}: PIM schedule request {pimId} for {decided.RequesterName}, scope /{app.ObjectId}", decided.Ticket, cancellationToken).ConfigureAwait(false);
                pim = " A matching PIM assignment scoped to this app was created in Entra.";
            }
            catch (ODataError error)
            {
                await access.AuditAsync(approver, app.ObjectId, AuditOperations.PimAssignment, "Failed", $"Request {decided.Id}: {error.Error?.Message ?? error.Message}", decided.Ticket, cancellationToken).ConfigureAwait(false);
                pim = " Creating the PIM assignment in Entra failed; CredentialBot's own grant still applies.";
            }
        }

        var ends = grant?.EndsAt ?? time.GetUtcNow();
        return $"Your elevation on {app.DisplayName} ({(decided.Right == AppRight.ManageOwners ? "manage owners" : "rotate credentials")}) was approved by {approver.DisplayName ?? "an approver"}. It ends at {ends.UtcDateTime:yyyy-MM-dd HH:mm} UTC.{pim}";
    }

    private async Task<AdaptiveCard> RenderAsync(AccessRequest request, App app, Principal? viewer, string? notice, CancellationToken cancellationToken)
    {
        var grant = request.Status == AccessRequestStatus.Approved ? await grants.ForRequestAsync(request.Id, cancellationToken).ConfigureAwait(false) : null;
        var card = RequestCard.Build(request, app, time.GetUtcNow(), await RefreshUsersAsync(Authorizer.OwnerApprovers(app, request), cancellationToken).ConfigureAwait(false), notice, grant);
        return viewer is not null && !Authorizer.DecideApprover(viewer, app, request).Allowed ? card with { Actions = null } : card;
    }

    private async Task<IReadOnlyList<string>> RefreshUsersAsync(IReadOnlyList<Owner> approvers, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var approver in approvers.Take(MaxRefreshUsers))
        {
            if (await messenger.TeamsUserIdOfAsync(approver.ObjectId, cancellationToken).ConfigureAwait(false) is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Request} decided (approved: {Approved})")]
    private static partial void LogDecided(ILogger logger, long request, bool approved);
}
