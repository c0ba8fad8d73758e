using CredentialBot.Actions;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Cards;

namespace CredentialBot.Handlers;

/// <summary>
/// Approve, Deny and the automatic refresh of an approval card (Action.Execute). The card carries only the request
/// id; the approver is the authenticated sender, and Domain decides whether they may.
/// </summary>
public abstract class RequestActionHandler(Approvals approvals, AccessControl access) : IInvokeHandler<RequestActionData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<RequestActionData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var who = await access.PrincipalOfAsync(context.Actor, cancellationToken);
        if (who.ObjectId.Length == 0)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(401, "Unauthenticated", "Teams did not say who you are."));
        }

        var card = await ActAsync(context.Data.Request, who, cancellationToken);
        return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(card));
    }

    public async Task RejectedAsync(TurnContext turn, string problem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var who = await access.PrincipalOfAsync(turn.Actor, cancellationToken);
        if (who.ObjectId.Length > 0)
        {
            await access.RefusedAsync(who, null, AuditOperations.DecideRequest, "Malformed request action", null, cancellationToken);
        }
    }

    protected Approvals Approvals => approvals;

    protected abstract Task<BotFramework.Cards.AdaptiveCard> ActAsync(long request, Domain.Principal who, CancellationToken cancellationToken);
}

public sealed class ApproveRequestHandler(Approvals approvals, AccessControl access) : RequestActionHandler(approvals, access)
{
    protected override Task<BotFramework.Cards.AdaptiveCard> ActAsync(long request, Domain.Principal who, CancellationToken cancellationToken) =>
        Approvals.DecideAsync(request, who, approve: true, cancellationToken);
}

public sealed class DenyRequestHandler(Approvals approvals, AccessControl access) : RequestActionHandler(approvals, access)
{
    protected override Task<BotFramework.Cards.AdaptiveCard> ActAsync(long request, Domain.Principal who, CancellationToken cancellationToken) =>
        Approvals.DecideAsync(request, who, approve: false, cancellationToken);
}

public sealed class ViewRequestHandler(Approvals approvals, AccessControl access) : RequestActionHandler(approvals, access)
{
    protected override Task<BotFramework.Cards.AdaptiveCard> ActAsync(long request, Domain.Principal who, CancellationToken cancellationToken) =>
        Approvals.ViewAsync(request, who, cancellationToken);
}

/// <summary>"Keep the old secret": cancels a scheduled removal; needs the right to manage the App's credentials.</summary>
public sealed class CancelRemovalHandler(AppCatalog catalog, PolicyStore policies, SecretRemovalStore removals, AccessControl access, TimeProvider time) : IInvokeHandler<RemovalActionData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<RemovalActionData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.Data;
        var who = await access.PrincipalOfAsync(context.Actor, cancellationToken);
        if (who.ObjectId.Length == 0 || await catalog.GetAsync(data.App, cancellationToken) is not { } app)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "That action was not understood; nothing was changed."));
        }

        var decision = await access.DecideAsync(who, app, Domain.AppRight.ManageCredentials, AuditOperations.CancelSecretRemoval, cancellationToken);
        if (!decision.Allowed)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Message(decision.Explanation));
        }

        var scheduled = (await removals.ScheduledForAsync(app.ObjectId, cancellationToken)).FirstOrDefault(r => r.KeyId == data.KeyId);
        if (scheduled is null || !await removals.FinishAsync(scheduled.Id, SecretRemovalStatus.Cancelled, time.GetUtcNow(), cancellationToken))
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Message("That secret is no longer scheduled for removal."));
        }

        await access.AuditAsync(who, app.ObjectId, AuditOperations.CancelSecretRemoval, "Succeeded", $"Kept {scheduled.CredentialName ?? scheduled.KeyId} ({scheduled.KeyId})", null, cancellationToken);
        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        var now = time.GetUtcNow();
        var card = StatusCard.Build(app, policy, Domain.PolicyEvaluator.Evaluate(app, policy, now), now,
            banner: $"{CardText.Literal(who.DisplayName ?? "An owner", 60)} kept {CardText.Literal(scheduled.CredentialName ?? "the old secret", 60)}; it will not be removed.",
            removals: await removals.ScheduledForAsync(app.ObjectId, cancellationToken));
        return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(card));
    }
}
