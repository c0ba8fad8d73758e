using CredentialBot.BotFramework.Cards;
using CredentialBot.Shared.Messaging;

namespace CredentialBot.Shared.Commands;

/// <summary>
/// What a command answers: a card, or a short text. <see cref="AfterSent"/>, when set, is told where the answer was
/// posted (to redraw it later from background work).
/// </summary>
/// <param name="Card">The card to post.</param>
/// <param name="Text">The text to post instead.</param>
public sealed record CommandReply(AdaptiveCard? Card, string? Text)
{
    public Action<PostedCard>? AfterSent { get; init; }

    public static CommandReply WithCard(AdaptiveCard card) => new(card, null);

    public static CommandReply WithText(string text) => new(null, text);
}
