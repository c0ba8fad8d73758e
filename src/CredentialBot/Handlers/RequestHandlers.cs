using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CredentialBot.Actions;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Cards;

namespace CredentialBot.Handlers;

/// <summary>Reads the <c>data</c> of an Action.Execute invoke into a typed record; null when it is not that shape.</summary>
internal static class ActionData
{
    public static T? Read<T>(JsonElement? value, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return value is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty("action", out var action)
                && action.ValueKind == JsonValueKind.Object && action.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? data.Deserialize(type)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Approve, Deny and the automatic refresh of an approval card (Action.Execute). The card carries only the request
/// id; the approver is the authenticated sender, and Domain decides whether they may.
/// </summary>
public abstract class RequestActionHandler(Approvals approvals, AccessControl access) : IActivityHandler
{
    public abstract RouteKey Key { get; }

    public async Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var who = await access.PrincipalOfAsync(MessageHandler.ActorOf(turn.Activity), cancellationToken).ConfigureAwait(false);
        if (who.ObjectId.Length == 0)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(401, "Unauthenticated", "Teams did not say who you are."));
        }

        if (ActionData.Read(turn.Activity.Value, CardsJsonContext.Default.RequestActionData) is not { Request: > 0 } data)
        {
            await access.RefusedAsync(who, null, AuditOperations.DecideRequest, "Malformed request action", null, cancellationToken).ConfigureAwait(false);
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "That action was not understood; nothing was decided."));
        }

        var card = await ActAsync(data.Request, who, cancellationToken).ConfigureAwait(false);
        return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(card));
    }

    protected Approvals Approvals => approvals;

    protected abstract Task<BotFramework.Cards.AdaptiveCard> ActAsync(long request, Domain.Principal who, CancellationToken cancellationToken);
}

public sealed class ApproveRequestHandler(Approvals approvals, AccessControl access) : RequestActionHandler(approvals, access)
{
    public override RouteKey Key => RouteKey.ForCardAction(RequestCard.ApproveVerb);

    protected override Task<BotFramework.Cards.AdaptiveCard> ActAsync(long request, Domain.Principal who, CancellationToken cancellationToken) =>
        Approvals.DecideAsync(request, who, approve: true, cancellationToken);
}

public sealed class DenyRequestHandler(Approvals approvals, AccessControl access) : RequestActionHandler(approvals, access)
{
    public override RouteKey Key => RouteKey.ForCardAction(RequestCard.DenyVerb);

    protected override Task<BotFramework.Cards.AdaptiveCard> ActAsync(long request, Domain.Principal who, CancellationToken cancellationToken) =>
        Approvals.DecideAsync(request, who, approve: false, cancellationToken);
}

public sealed class ViewRequestHandler(Approvals approvals, AccessControl access) : RequestActionHandler(approvals, access)
{
    public override RouteKey Key => RouteKey.ForCardAction(RequestCard.RefreshVerb);

    protected override Task<BotFramework.Cards.AdaptiveCard> ActAsync(long request, Domain.Principal who, CancellationToken cancellationToken) =>
        Approvals.ViewAsync(request, who, cancellationToken);
}

/// <summary>"Keep the old secret": cancels a scheduled removal; needs the right to manage the App's credentials.</summary>
public sealed class CancelRemovalHandler(AppCatalog catalog, PolicyStore policies, SecretRemovalStore removals, AccessControl access, TimeProvider time) : IActivityHandler
{
    public RouteKey Key => RouteKey.ForCardAction(StatusCard.CancelRemovalVerb);

    public async Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var who = await access.PrincipalOfAsync(MessageHandler.ActorOf(turn.Activity), cancellationToken).ConfigureAwait(false);
        var data = ActionData.Read(turn.Activity.Value, CardsJsonContext.Default.RemovalActionData);
        if (who.ObjectId.Length == 0 || data is not { App.Length: > 0 and <= 128, Key.Length: > 0 and <= 128 } || await catalog.GetAsync(data.App, cancellationToken).ConfigureAwait(false) is not { } app)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "That action was not understood; nothing was changed."));
        }

        var decision = await access.DecideAsync(who, app, Domain.AppRight.ManageCredentials, AuditOperations.CancelSecretRemoval, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Message(decision.Explanation));
        }

        var scheduled = (await removals.ScheduledForAsync(app.ObjectId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.KeyId == data.Key);
        if (scheduled is null || !await removals.FinishAsync(scheduled.Id, SecretRemovalStatus.Cancelled, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Message("That secret is no longer scheduled for removal."));
        }

        await access.AuditAsync(who, app.ObjectId, AuditOperations.CancelSecretRemoval, "Succeeded", $"Kept {scheduled.CredentialName ?? scheduled.KeyId} ({scheduled.KeyId})", null, cancellationToken).ConfigureAwait(false);
        var policy = await policies.GetPolicyForAsync(app, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var card = StatusCard.Build(app, policy, Domain.PolicyEvaluator.Evaluate(app, policy, now), now,
            banner: $"{CardText.Literal(who.DisplayName ?? "An owner", 60)} kept {CardText.Literal(scheduled.CredentialName ?? "the old secret", 60)}; it will not be removed.",
            removals: await removals.ScheduledForAsync(app.ObjectId, cancellationToken).ConfigureAwait(false));
        return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(card));
    }
}
