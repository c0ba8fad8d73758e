using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Shared.Dialogs;

/// <summary>
/// Dialogs for clients that cannot open them. Teams opens a dialog for an Action.Submit marked
/// <c>msteams.type = task/fetch</c>; a client without dialogs (the Microsoft 365 Agents Playground 0.2.28 rejects
/// <c>task/fetch</c>) posts the button's data as a message instead. The bot then shows the same dialog card in the
/// chat, with its submit buttons turned into Action.Execute (<see cref="CardVerbs.InlineDialog"/>): each step's answer
/// replaces the card through the invoke response, which goes only to the person who clicked and is never posted into
/// the transcript, so a new secret stays as private as in a dialog.
/// </summary>
public static class InlineDialogs
{
    /// <summary>The card with every dialog submit button (an Action.Submit carrying dialog data) as Action.Execute.</summary>
    public static AdaptiveCard Inline(AdaptiveCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card with
        {
            Body = [.. card.Body.Select(e => e is ActionSet set ? set with { Actions = [.. set.Actions.Select(Convert)] } : e)],
            Actions = card.Actions is null ? null : [.. card.Actions.Select(Convert)],
        };
    }

    private static CardAction Convert(CardAction action) =>
        action is ActionSubmit { Data: { } data } submit && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("dialog", out _)
            ? new ActionExecute { Title = submit.Title, Style = submit.Style, Verb = CardVerbs.InlineDialog, Data = data }
            : action;
}
