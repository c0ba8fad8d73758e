using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Services;

namespace CredentialBot.AppRequests;

/// <summary>
/// The life of a request for a new app registration, after the Requests slice's pattern: sent to the policy's approval
/// channel (or, without one, 1:1 to the admins who may decide), decided once by an admin who is not the requester,
/// created (<see cref="AppRegistrationCreation"/>), told to the requester, and redrawn on every copy of the card.
/// Who may decide is Domain's <see cref="AppRegistrationApprovers"/>, given the decider's admin scopes from here only.
/// </summary>
public sealed partial class AppRequestApprovals(
    AppRegistrationRequestStore requests,
    AppCatalog catalog,
    PolicyStore policies,
    AdminScopeResolver scopes,
    AuditTrail audit,
    Messenger messenger,
    AppRegistrationCreation creation,
    TimeProvider time,
    ILogger<AppRequestApprovals> logger)
{
    /// <summary>Admins asked one by one when the policy names no approval channel.</summary>
    private const int MaxDirectApprovers = 10;

    /// <summary>
    /// Stores a checked request and posts its approval card. The request and its <c>Submitted</c> event commit together,
    /// consuming the form's one-time id, before any card is sent; the answer tells the requester where it went.
    /// </summary>
    public async Task<string> SubmitAsync(AppRegistrationRequest draft, Principal requester, string? confirmId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (await audit.ConfirmOnceAsync(requester, null, AuditOperation.RequestApp, confirmId, cancellationToken) is { } already)
        {
            return already;
        }

        var request = await requests.CreateAsync(draft, cancellationToken);
        await audit.RecordAsync(requester, null, AuditOperation.RequestApp, AuditOutcome.Submitted, $"App request {request.Id}: '{request.DisplayName}' ({request.Type}), policy {request.PolicyName}. {request.Purpose}", request.Ticket, cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);

        var warnings = await WarningsAsync(request, cancellationToken);
        var approvers = await scopes.AdminsToAskAsync(request.Prospect(), request.RequesterObjectId, cancellationToken);
        var card = AppRequestCards.Approval(request, time.GetUtcNow(), warnings, await messenger.RefreshUsersAsync(approvers, cancellationToken));
        var summary = AppRequestCards.Title(request);
        var posted = new List<PostedCard>();
        string where;
        var channel = (await policies.ListAsync(cancellationToken)).FirstOrDefault(p => p.Name == request.PolicyName)?.ApprovalChannelId;
        if (!string.IsNullOrWhiteSpace(channel) && await messenger.SendToConversationAsync(channel, card, summary, cancellationToken) is { } inChannel)
        {
            posted.Add(inChannel);
            where = "the approval channel";
        }
        else
        {
            var reached = 0;
            foreach (var approver in approvers.Take(MaxDirectApprovers))
            {
                if (await messenger.SendToPersonAsync(approver, card, summary, cancellationToken) is { } direct)
                {
                    posted.Add(direct);
                    reached++;
                }
            }

            where = reached == 1 ? "1 admin" : $"{reached} admins";
        }

        await requests.SetApprovalCardsAsync(request.Id, Messenger.Serialize(posted), cancellationToken);
        var warned = warnings.Count > 0 ? " Note: " + string.Join(" ", warnings) : string.Empty;
        if (posted.Count == 0)
        {
            await audit.RecordAsync(requester, null, AuditOperation.RequestApp, AuditOutcome.Undeliverable, $"App request {request.Id}: no admin could be reached", request.Ticket, cancellationToken);
            return $"Your request was recorded (number {request.Id}), but no admin could be reached: policy {request.PolicyName} names no approval channel and no admin named in the settings has the bot installed. Ask a CredentialBot admin to open the bot in Teams.{warned}";
        }

        LogSubmitted(logger, request.Id, posted.Count);
        return $"Your request for '{request.DisplayName}' was sent to {where} for approval (request {request.Id}). You will get a message when someone decides.{warned}";
    }

    /// <summary>The approval card as <paramref name="viewer"/> should see it: buttons only for those who may decide.</summary>
    public async Task<AdaptiveCard> ViewAsync(long id, Principal viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return await requests.GetAsync(id, cancellationToken) is { } request
            ? await RenderAsync(request, viewer, null, cancellationToken)
            : NoticeCard.Build("Request not found", "That request no longer exists.");
    }

    /// <summary>Approves (and creates the App) or denies; the answer is the card to show the person who clicked.</summary>
    public async Task<AdaptiveCard> DecideAsync(long id, Principal approver, bool approve, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approver);
        if (await requests.GetAsync(id, cancellationToken) is not { } request)
        {
            await audit.RefusedAsync(approver, null, AuditOperation.DecideAppRequest, $"No app request {id}", cancellationToken);
            return NoticeCard.Build("Request not found", "That request no longer exists; nothing was decided.", Urgency.Critical);
        }

        var (decided, decision) = request.Decide(approver, await scopes.ScopesOfAsync(approver, cancellationToken), approve, reason, time.GetUtcNow());
        if (decided is null)
        {
            await audit.RefusedAsync(approver, null, AuditOperation.DecideAppRequest, $"App request {id}: {decision.Explanation}", cancellationToken);
            return await RenderAsync(request, approver, decision.Explanation, cancellationToken);
        }

        // The decision commits with its event before Entra is asked: of two clicks exactly one moves the request, and
        // only that one goes on to create the App.
        await audit.BeginChangeAsync(cancellationToken);
        if (!await requests.RecordDecisionAsync(decided, cancellationToken))
        {
            var current = await requests.GetAsync(id, cancellationToken) ?? request;
            var stale = $"This request was already {AppRegistrationRequest.StatusWord(current.Status)} by {current.DecidedByName ?? "someone else"}; nothing was done again.";
            await audit.RefusedAsync(approver, null, AuditOperation.DecideAppRequest, $"App request {id}: {stale}", cancellationToken);
            await audit.CommitChangeAsync(cancellationToken);
            return await RenderAsync(current, approver, stale, cancellationToken);
        }

        await audit.RecordAsync(approver, null, AuditOperation.DecideAppRequest, approve ? AuditOutcome.Approved : AuditOutcome.Denied, $"App request {id}: '{request.DisplayName}' ({decision.Explanation}).{(decided.Reason is { } why ? " Reason: " + why : string.Empty)}", request.Ticket, cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        LogDecided(logger, id, approve);

        string notice;
        if (approve)
        {
            var created = await creation.CreateAsync(decided, approver, cancellationToken);
            decided = created.Request;
            notice = created.ForApprover;
        }
        else
        {
            var text = $"Your request for a new app registration '{request.DisplayName}' was denied by {approver.DisplayName ?? "an admin"}. Reason: {decided.Reason}";
            await messenger.SendToPersonAsync(request.RequesterObjectId, NoticeCard.Build("App request denied", CardText.Literal(text, 800), Urgency.Warning), text, cancellationToken);
            notice = "Denied; the requester was told your reason.";
        }

        var forEveryone = await RenderAsync(decided, viewer: null, notice: null, cancellationToken);
        foreach (var posted in Messenger.Deserialize(await requests.GetApprovalCardsAsync(id, cancellationToken)))
        {
            await messenger.UpdateAsync(posted, forEveryone, cancellationToken);
        }

        return await RenderAsync(decided, approver, notice, cancellationToken);
    }

    /// <summary>Apps already named like the request, and other open requests for the same name: shown, never refused.</summary>
    public async Task<IReadOnlyList<string>> WarningsAsync(AppRegistrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var warnings = new List<string>();
        var name = request.DisplayName.Trim();
        var same = (await catalog.FindAsync(name, 20, cancellationToken))
            .Where(a => string.Equals(a.DisplayName.Trim(), name, StringComparison.OrdinalIgnoreCase) && a.ObjectId != request.CreatedAppObjectId)
            .ToList();
        if (same.Count > 0)
        {
            warnings.Add($"{CardText.Count(same.Count, "app")} named '{name}' already exist{(same.Count == 1 ? "s" : string.Empty)} (appId {string.Join(", ", same.Take(3).Select(a => a.AppId))}): a second one with the same name is allowed, but confusing.");
        }

        if (await requests.CountOpenWithNameAsync(name, request.Id, cancellationToken) is > 0 and var open)
        {
            warnings.Add($"{CardText.Count(open, "other open request")} also ask{(open == 1 ? "s" : string.Empty)} for an app named '{name}'.");
        }

        return warnings;
    }

    private async Task<AdaptiveCard> RenderAsync(AppRegistrationRequest request, Principal? viewer, string? notice, CancellationToken cancellationToken)
    {
        var card = AppRequestCards.Approval(request, time.GetUtcNow(), await WarningsAsync(request, cancellationToken), await messenger.RefreshUsersAsync(await scopes.AdminsToAskAsync(request.Prospect(), request.RequesterObjectId, cancellationToken), cancellationToken), notice);
        if (viewer is null || request.StatusAt(time.GetUtcNow()) != AppRegistrationRequestStatus.Pending)
        {
            return card;
        }

        var may = AppRegistrationApprovers.MayDecide(viewer, request, await scopes.ScopesOfAsync(viewer, cancellationToken));
        return may.Allowed ? card : card with { Actions = null, Body = [.. card.Body.Where(e => e is not InputText { Id: "reason" })] };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App request {Request} submitted; approval card posted {Posted} time(s)")]
    private static partial void LogSubmitted(ILogger logger, long request, int posted);

    [LoggerMessage(Level = LogLevel.Information, Message = "App request {Request} decided (approved: {Approved})")]
    private static partial void LogDecided(ILogger logger, long request, bool approved);
}
