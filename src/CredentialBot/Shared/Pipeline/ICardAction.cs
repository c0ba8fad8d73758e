using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Audit;

namespace CredentialBot.Shared.Pipeline;

/// <summary>
/// What one Action.Execute button does, given its typed data and the person who pressed it. Declared with
/// <c>routes.Button&lt;TData, TAction&gt;(verb)</c>; the pipeline reads the data, resolves the person and answers.
/// </summary>
/// <typeparam name="TData">The button's data (untrusted, but well-formed by the time the action runs).</typeparam>
public interface ICardAction<TData>
    where TData : class, IWellFormed
{
    /// <summary>
    /// What the action is audited as: a press with malformed data is refused under it, and only a person Teams
    /// identified may press it. Null for a view that changes nothing (a card's refresh), which anyone may ask for.
    /// </summary>
    static abstract AuditOperation? Operation { get; }

    /// <summary>Decides, acts, audits and answers with the card (or message) that replaces the clicked one.</summary>
    Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<TData> request, CancellationToken cancellationToken);
}
