using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;

namespace CredentialBot.Shared.Pipeline;

/// <summary>
/// Runs an <see cref="ICardAction{TData}"/> for the router: an action that changes something needs a person Teams
/// identified (401 otherwise) and has malformed presses audited as refusals; then the action runs in the pipeline.
/// </summary>
internal sealed class CardActionRoute<TData, TAction>(TAction action, InteractionPipeline pipeline, AccessControl access, AuditTrail audit) : IInvokeHandler<TData>
    where TData : class, IWellFormed
    where TAction : class, ICardAction<TData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<TData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var answer = await pipeline.RunAsync(context.Actor, (who, ct) =>
            TAction.Operation is not null && who.ObjectId.Length == 0
                ? Task.FromResult(AdaptiveCardInvokeResponse.Error(401, "Unauthenticated", "Teams did not say who you are, so nothing was changed."))
                : action.RunAsync(new CardActionRequest<TData>(context.Data, who, context.Turn), ct), cancellationToken);
        return InvokeResponse.Ok(answer);
    }

    public async Task RejectedAsync(TurnContext turn, string problem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (TAction.Operation is { } operation && turn.Actor.ObjectId is { Length: > 0 })
        {
            var who = await access.PrincipalOfAsync(turn.Actor, cancellationToken);
            await audit.RefusedAsync(who, null, operation, $"Malformed button data: {problem}", cancellationToken);
        }
    }
}
