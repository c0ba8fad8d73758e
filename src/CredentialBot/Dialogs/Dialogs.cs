using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Cards;
using CredentialBot.Commands;

namespace CredentialBot.Dialogs;

/// <summary>
/// A dialog opened from a card and submitted. <see cref="Data"/> (with the inputs) is untrusted;
/// <see cref="Actor"/> is the authenticated sender.
/// </summary>
public sealed record DialogRequest(Actor Actor, DialogData Data, TurnContext Turn)
{
    /// <summary>A submitted input's text, trimmed; null when absent or not a string.</summary>
    public string? Input(string id) =>
        Data.Inputs?.GetValueOrDefault(id) is { ValueKind: JsonValueKind.String } value ? value.GetString()?.Trim() : null;

    /// <summary>
    /// The card message the dialog was opened from: carried through the dialog from its opening (when the invoke's
    /// replyToId was that card), else this invoke's replyToId. Only ever used to redraw a bot message in this same
    /// conversation.
    /// </summary>
    public string? OriginCard => Data.Card is { Length: > 0 } carried ? carried : Turn.Activity.ReplyToId is { Length: > 0 } replyTo ? replyTo : null;
}

/// <summary>What a dialog step answers: a card to show next (the form again, a result), or a closing message.</summary>
public sealed record DialogAnswer(string Title, AdaptiveCard? Card, string? Message)
{
    public static DialogAnswer Show(string title, AdaptiveCard card) => new(title, card, null);

    public static DialogAnswer Close(string message) => new(string.Empty, null, message);

    /// <summary>As a Teams dialog answer (<c>task/fetch</c>, <c>task/submit</c>).</summary>
    public TaskModuleResponse ToTaskModule() => Card is null ? TaskModuleResponse.Message(Message ?? string.Empty) : TaskModuleResponse.Continue(Title, Card);

    /// <summary>As a card shown in the chat, for clients that cannot open dialogs (see <see cref="InlineDialogs"/>).</summary>
    public AdaptiveCard ToInlineCard() => Card is null ? ActionCards.Notice("Done", CardText.Literal(Message, 600)) : InlineDialogs.Inline(Card);
}

/// <summary>One dialog, found by name through <see cref="DialogTable"/>.</summary>
public interface IDialog
{
    string Name { get; }

    Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken);

    Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken);
}

/// <summary>The routing table for dialogs; a duplicate name stops start-up.</summary>
public sealed class DialogTable
{
    private readonly Dictionary<string, IDialog> _byName = new(StringComparer.Ordinal);

    public DialogTable(IEnumerable<IDialog> dialogs)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        foreach (var dialog in dialogs)
        {
            if (!_byName.TryAdd(dialog.Name, dialog))
            {
                throw new InvalidOperationException($"Two dialogs are registered with the name '{dialog.Name}'.");
            }
        }
    }

    public IDialog? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Runs one step: opens the dialog, or submits it (unless its data asks to open another one). Null with an error
    /// when the data is not a dialog request.
    /// </summary>
    public async Task<(DialogAnswer? Answer, string? Error)> RunAsync(TurnContext turn, DialogData parsed, bool submit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(parsed);
        if (!parsed.IsWellFormed())
        {
            return (null, "The dialog request has no readable data.");
        }

        if (Find(parsed.Dialog) is not { } dialog)
        {
            return (null, $"There is no dialog named '{CardText.Literal(parsed.Dialog, 40)}'.");
        }

        var request = new DialogRequest(turn.Actor, parsed, turn);
        return (submit && parsed.Open != true
            ? await dialog.SubmitAsync(request, cancellationToken)
            : await dialog.OpenAsync(request, cancellationToken), null);
    }
}

/// <summary>Names of the dialogs, used by the cards that open them.</summary>
public static class DialogNames
{
    public const string Rotate = "rotate";
    public const string Elevate = "elevate";
    public const string Owner = "owner";
    public const string Policy = "policy";
}

/// <summary><c>task/fetch</c>: opens the dialog a card button names.</summary>
public sealed class TaskFetchHandler(DialogTable dialogs) : IInvokeHandler<DialogData>
{
    public Task<InvokeResponse> HandleAsync(InvokeContext<DialogData> context, CancellationToken cancellationToken) =>
        InlineDialogs.AsInvokeAsync(context, dialogs, submit: false, cancellationToken);
}

/// <summary><c>task/submit</c>: submits the dialog its data names (or opens another one, when it asks to).</summary>
public sealed class TaskSubmitHandler(DialogTable dialogs) : IInvokeHandler<DialogData>
{
    public Task<InvokeResponse> HandleAsync(InvokeContext<DialogData> context, CancellationToken cancellationToken) =>
        InlineDialogs.AsInvokeAsync(context, dialogs, submit: true, cancellationToken);
}

/// <summary>
/// Dialogs for clients that cannot open them. Teams opens a dialog for an Action.Submit marked
/// <c>msteams.type = task/fetch</c>; a client without dialogs (the Microsoft 365 Agents Playground 0.2.28 rejects
/// <c>task/fetch</c>) posts the button's data as a message instead. The bot then shows the same dialog card in the
/// chat, with its submit buttons turned into Action.Execute (<see cref="Verb"/>): each step's answer replaces the card
/// through the invoke response, which goes only to the person who clicked and is never posted into the transcript,
/// so a new secret stays as private as in a dialog.
/// </summary>
public static class InlineDialogs
{
    public const string Verb = "dialog";

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

    internal static async Task<InvokeResponse> AsInvokeAsync(InvokeContext<DialogData> context, DialogTable dialogs, bool submit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (answer, error) = await dialogs.RunAsync(context.Turn, context.Data, submit, cancellationToken);
        return answer is null ? InvokeResponse.BadRequest("BadRequest", error!) : InvokeResponse.Ok(answer.ToTaskModule());
    }

    private static CardAction Convert(CardAction action) =>
        action is ActionSubmit { Data: { } data } submit && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("dialog", out _)
            ? new ActionExecute { Title = submit.Title, Style = submit.Style, Verb = Verb, Data = data }
            : action;
}

/// <summary>A dialog step submitted from an inline dialog card (Action.Execute <see cref="InlineDialogs.Verb"/>).</summary>
public sealed class InlineDialogHandler(DialogTable dialogs) : IInvokeHandler<DialogData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<DialogData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (answer, error) = await dialogs.RunAsync(context.Turn, context.Data, submit: true, cancellationToken);
        return InvokeResponse.Ok(answer is null
            ? AdaptiveCardInvokeResponse.Error(400, "BadRequest", error!)
            : AdaptiveCardInvokeResponse.Card(answer.ToInlineCard()));
    }
}
