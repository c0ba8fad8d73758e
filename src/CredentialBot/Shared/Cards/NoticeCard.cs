using CredentialBot.BotFramework.Cards;

namespace CredentialBot.Shared.Cards;

/// <summary>A card that only says something (a refusal, a result, an outcome), with optional next steps.</summary>
public static class NoticeCard
{
    public static AdaptiveCard Build(string title, string text, Urgency urgency = Urgency.None, params CardAction[] actions) =>
        CardParts.Card([CardParts.Heading(title), CardParts.Text(text, urgency)], actions);
}
