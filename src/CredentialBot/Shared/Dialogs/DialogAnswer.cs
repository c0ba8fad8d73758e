using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Shared.Dialogs;

/// <summary>What a dialog step answers: a card to show next (the form again, a result), or a closing message.</summary>
/// <param name="Title">The dialog's title while it shows <paramref name="Card"/>.</param>
/// <param name="Card">The next card; null when the dialog closes.</param>
/// <param name="Message">The closing message.</param>
public sealed record DialogAnswer(string Title, AdaptiveCard? Card, string? Message)
{
    public static DialogAnswer Show(string title, AdaptiveCard card) => new(title, card, null);

    /// <summary>Closes the dialog with a message; <paramref name="title"/> heads it where it is shown as a card.</summary>
    public static DialogAnswer Close(string message, string? title = null) => new(title ?? string.Empty, null, message);

    /// <summary>As a Teams dialog answer (<c>task/fetch</c>, <c>task/submit</c>).</summary>
    public TaskModuleResponse ToTaskModule() => Card is null ? TaskModuleResponse.Message(Message ?? string.Empty) : TaskModuleResponse.Continue(Title, Card);

    /// <summary>As a card shown in the chat, for clients that cannot open dialogs (see <see cref="InlineDialogs"/>).</summary>
    public AdaptiveCard ToInlineCard() => Card is null
        ? NoticeCard.Build(string.IsNullOrEmpty(Title) ? "Done" : CardText.Literal(Title, 120), CardText.Literal(Message, 600))
        : InlineDialogs.Inline(Card);
}
