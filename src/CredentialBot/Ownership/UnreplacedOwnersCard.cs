using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;

namespace CredentialBot.Ownership;

/// <summary>
/// The admin channel's card about owners who left and were not replaced: because the policy's time to replace them
/// passed, or because nobody active is left to ask. One card per round.
/// </summary>
public static class UnreplacedOwnersCard
{
    public const int MaxShown = 25;

    public static AdaptiveCard Build(IReadOnlyList<(App App, OwnerDeparture Departure, string Why)> departures)
    {
        ArgumentNullException.ThrowIfNull(departures);
        List<CardElement> body =
        [
            CardParts.Heading(departures.Count == 1 ? "An owner who left was not replaced" : $"{departures.Count} owners who left were not replaced"),
            CardParts.Text("These apps have an owner who is disabled or deleted in the directory, and nobody replaced them. Find a new owner, or ask the remaining ones to."),
            CardParts.Table(
                ["App", "Owner", "Why you hear of it"],
                departures.Take(MaxShown).Select(d => new CardCell[]
                {
                    new(CardText.Literal(d.App.DisplayName, 60)),
                    new($"{CardText.Literal(d.Departure.Owner.DisplayName, 40)} ({CardText.OwnerKindInSentence(d.Departure.Owner.Kind)}, {(d.Departure.Owner.Deleted ? "deleted" : "disabled")})"),
                    new(CardText.Literal(d.Why, 120), Urgency.Warning),
                }),
                departures.Take(MaxShown).Select(d => $"{CommandNames.Status} {d.App.AppId}")),
        ];
        if (departures.Count > MaxShown)
        {
            body.Add(CardParts.Subtle($"…and {departures.Count - MaxShown} more; each app's **{CommandNames.Status}** card has a Replace button."));
        }

        return CardParts.Card(body);
    }
}
