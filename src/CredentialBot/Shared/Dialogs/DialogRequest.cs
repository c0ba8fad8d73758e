using System.Text.Json;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Domain;

namespace CredentialBot.Shared.Dialogs;

/// <summary>
/// One step of a dialog. <see cref="Data"/> (with the inputs) is untrusted; <see cref="Who"/> is the authenticated
/// sender, admin membership resolved.
/// </summary>
/// <param name="Who">The person acting.</param>
/// <param name="Data">The button's data and the inputs.</param>
/// <param name="Turn">The turn, to redraw the card the dialog came from.</param>
/// <param name="Target">The App the dialog acts on, as the store has it now; null for a dialog that acts on none.</param>
public sealed record DialogRequest(Principal Who, DialogData Data, TurnContext Turn, App? Target = null)
{
    /// <summary>The App a dialog that <see cref="IDialog.ActsOnAnApp"/> acts on; the runner never runs it without one.</summary>
    public App App => Target ?? throw new InvalidOperationException($"Dialog '{Data.Dialog}' does not act on an App.");

    /// <summary>A submitted input's text, trimmed; null when absent or not a string.</summary>
    public string? Input(string id) =>
        Data.Inputs?.GetValueOrDefault(id) is { ValueKind: JsonValueKind.String } value ? value.GetString()?.Trim() : null;

    /// <summary>
    /// The card message the dialog was opened from: carried through the dialog from its opening (when the invoke's
    /// replyToId was that card), else this invoke's replyToId. Only ever used to redraw a bot message in this same
    /// conversation.
    /// </summary>
    public string? OriginCard => Data.Card is { Length: > 0 } carried ? carried : Turn.Activity.ReplyToId is { Length: > 0 } replyTo ? replyTo : null;

    /// <summary>
    /// True when this step's answer replaces the origin card itself (an inline dialog submitted from that card), so the
    /// card must not also be redrawn for everyone.
    /// </summary>
    public bool AnswersInOriginCard => Turn.Activity.Name == InvokeNames.AdaptiveCardAction && Turn.Activity.ReplyToId == OriginCard;
}
