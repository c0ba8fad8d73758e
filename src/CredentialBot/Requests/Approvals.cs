using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Services;

namespace CredentialBot.Requests;

/// <summary>
/// The life of a request: sent to the policy's approval channel (or, without one, to the App's owners 1:1, and when
/// none of them can be reached to the admins and scoped admins who may decide), decided
/// once by an owner or admin (or a scoped admin whose scope covers the App) who is not the requester, applied (a grant, a PIM assignment, an owner change), told to
/// the requester, and redrawn on every copy of the approval card. What an approval does depends on the request's kind
/// (<see cref="IApprovedRequest"/>).
/// </summary>
public sealed partial class Approvals(
    AccessRequestStore requests,
    GrantStore grants,
    AppCatalog catalog,
    AuditTrail audit,
    Messenger messenger,
    IEnumerable<IApprovedRequest> kinds,
    AdminScopeResolver scopes,
    TimeProvider time,
    ILogger<Approvals> logger)
{
    /// <summary>Owners asked one by one when the policy names no approval channel.</summary>
    private const int MaxDirectApprovers = 10;

    /// <summary>Stores a new request and posts its approval card; the answer tells the requester where it went.</summary>
    public async Task<string> SubmitAsync(AccessRequest draft, App app, Policy policy, Principal requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        var request = await requests.CreateAsync(draft, cancellationToken);
        var approvers = Authorizer.OwnerApprovers(app, request);
        var admins = await scopes.AdminsToAskAsync(app, request.RequesterObjectId, cancellationToken);
        var card = RequestCard.Build(request, app, time.GetUtcNow(), await messenger.RefreshUsersAsync(approvers.Select(o => o.ObjectId).Concat(admins), cancellationToken));
        var summary = RequestCard.Title(request, app);

        var posted = new List<PostedCard>();
        string where;
        if (!string.IsNullOrWhiteSpace(policy.ApprovalChannelId)
            && await messenger.SendToConversationAsync(policy.ApprovalChannelId, card, summary, cancellationToken) is { } inChannel)
        {
            posted.Add(inChannel);
            where = "the approval channel";
        }
        else
        {
            var reached = new List<string>();
            foreach (var approver in approvers.Take(MaxDirectApprovers))
            {
                if (await messenger.SendToPersonAsync(approver.ObjectId, card, summary, cancellationToken) is { } direct)
                {
                    posted.Add(direct);
                    reached.Add(approver.DisplayName);
                }
            }

            where = reached.Count > 0 ? string.Join(", ", reached) : string.Empty;
            if (reached.Count == 0)
            {
                // No owner can be reached: the admins who may decide for this App are asked instead, so a request for
                // an App whose owners never installed the bot (or left) still reaches someone who holds the right.
                var adminsReached = 0;
                foreach (var admin in admins.Take(MaxDirectApprovers))
                {
                    if (await messenger.SendToPersonAsync(admin, card, summary, cancellationToken) is { } direct)
                    {
                        posted.Add(direct);
                        adminsReached++;
                    }
                }

                where = adminsReached == 0 ? string.Empty : $"{CardText.Count(adminsReached, "admin")} (none of the app's owners can be reached in Teams)";
            }
        }

        await requests.SetApprovalCardsAsync(request.Id, Messenger.Serialize(posted), cancellationToken);
        var operation = request.Kind == AccessRequestKind.Elevation ? AuditOperation.RequestElevation : AuditOperation.RequestOwnerChange;
        if (posted.Count == 0)
        {
            await audit.RecordAsync(requester, app.ObjectId, operation, AuditOutcome.Undeliverable, $"Request {request.Id}: no approver could be reached. {request.Justification}", request.Ticket, cancellationToken);
            return $"Your request was recorded, but no approver could be reached: only {Authorizer.WhoCanApprove(app, request)} can approve it, none of those owners or admins has the bot installed, and policy {policy.Name} names no approval channel. Ask one of them to open CredentialBot in Teams.";
        }

        await audit.RecordAsync(requester, app.ObjectId, operation, AuditOutcome.Submitted, $"Request {request.Id} sent to {where}. {request.Justification}", request.Ticket, cancellationToken);
        return $"Your request was sent to {where} for approval. You will get a message when someone decides.";
    }

    /// <summary>The approval card as <paramref name="viewer"/> should see it: buttons only for those who may decide.</summary>
    public async Task<AdaptiveCard> ViewAsync(long id, Principal viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var request = await requests.GetAsync(id, cancellationToken);
        var app = request is null ? null : await catalog.GetAsync(request.AppObjectId, cancellationToken);
        if (request is null || app is null)
        {
            return NoticeCard.Build("Request not found", "That request or its app no longer exists.");
        }

        return await RenderAsync(request, app, viewer, null, cancellationToken);
    }

    /// <summary>Approves or denies; the answer is the card to show the person who clicked.</summary>
    public async Task<AdaptiveCard> DecideAsync(long id, Principal approver, bool approve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approver);
        var request = await requests.GetAsync(id, cancellationToken);
        var app = request is null ? null : await catalog.GetAsync(request.AppObjectId, cancellationToken);
        if (request is null || app is null)
        {
            await audit.RefusedAsync(approver, app?.ObjectId, AuditOperation.DecideRequest, $"No request {id}", cancellationToken);
            return NoticeCard.Build("Request not found", "That request or its app no longer exists; nothing was decided.", Urgency.Critical);
        }

        var now = time.GetUtcNow();
        var (decided, decision) = request.Decide(approver, app, approve, now, await scopes.ScopesOfAsync(approver, cancellationToken));
        if (decided is null)
        {
            await audit.RecordAsync(approver, app.ObjectId, AuditOperation.DecideRequest, AuditOutcome.Refused, $"Request {id}: {decision.Explanation}", request.Ticket, cancellationToken);
            return await RenderAsync(request, app, approver, decision.Explanation, cancellationToken);
        }

        var kind = kinds.First(k => k.AppliesTo(request.Kind));
        var grant = approve ? kind.GrantOnApproval(request, now) : null;

        // The decision (and its grant) commits with its audit event, before Entra or anyone is told.
        await audit.BeginChangeAsync(cancellationToken);
        if (!await requests.RecordDecisionAsync(decided, grant, cancellationToken))
        {
            // Another approver's click committed first; show what they decided.
            var current = await requests.GetAsync(id, cancellationToken) ?? request;
            var stale = $"This request was already {current.Status.ToString().ToLowerInvariant()} by {current.DecidedByName ?? "someone else"}.";
            await audit.RecordAsync(approver, app.ObjectId, AuditOperation.DecideRequest, AuditOutcome.Refused, $"Request {id}: {stale}", request.Ticket, cancellationToken);
            await audit.CommitChangeAsync(cancellationToken);
            return await RenderAsync(current, app, approver, stale, cancellationToken);
        }

        await audit.RecordAsync(approver, app.ObjectId, AuditOperation.DecideRequest, approve ? AuditOutcome.Approved : AuditOutcome.Denied, $"Request {id}: {RequestCard.Title(request, app)}", request.Ticket, cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        LogDecided(logger, id, approve);

        var outcome = approve ? await kind.ApplyAsync(decided, app, approver, cancellationToken) : $"Your request ({RequestCard.Title(request, app)}) was denied by {approver.DisplayName ?? "an approver"}.";
        await messenger.SendToPersonAsync(request.RequesterObjectId, NoticeCard.Build(approve ? "Request approved" : "Request denied", CardText.Literal(outcome, 500), approve ? Urgency.Healthy : Urgency.Warning), outcome, cancellationToken);

        var forEveryone = await RenderAsync(decided, app, viewer: null, notice: null, cancellationToken);
        foreach (var posted in Messenger.Deserialize(await requests.GetApprovalCardsAsync(id, cancellationToken)))
        {
            await messenger.UpdateAsync(posted, forEveryone, cancellationToken);
        }

        return forEveryone;
    }

    private async Task<AdaptiveCard> RenderAsync(AccessRequest request, App app, Principal? viewer, string? notice, CancellationToken cancellationToken)
    {
        var grant = request.Status == AccessRequestStatus.Approved ? await grants.ForRequestAsync(request.Id, cancellationToken) : null;
        var deciders = Authorizer.OwnerApprovers(app, request).Select(o => o.ObjectId).Concat(await scopes.AdminsToAskAsync(app, request.RequesterObjectId, cancellationToken));
        var card = RequestCard.Build(request, app, time.GetUtcNow(), await messenger.RefreshUsersAsync(deciders, cancellationToken), notice, grant);
        return viewer is not null && !Authorizer.DecideApprover(viewer, app, request, await scopes.ScopesOfAsync(viewer, cancellationToken)).Allowed ? card with { Actions = null } : card;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Request} decided (approved: {Approved})")]
    private static partial void LogDecided(ILogger logger, long request, bool approved);
}
