using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Ownership;

/// <summary>
/// The card a remaining owner gets when a fellow owner is found disabled or deleted: who left which App, by when to
/// replace them before the admins are told, and a Replace button for each. One card per person per round, however many
/// Apps they share with people who left.
/// </summary>
public static class ReplaceOwnerCard
{
    /// <summary>The most departures drawn with their own button; the rest are counted.</summary>
    public const int MaxShown = 10;

    public static AdaptiveCard Build(IReadOnlyList<(App App, OwnerDeparture Departure, DateTimeOffset ReplaceBy)> departures)
    {
        ArgumentNullException.ThrowIfNull(departures);
        var people = departures.Select(d => d.Departure.Owner.ObjectId).Distinct(StringComparer.Ordinal).Count();
        var first = departures[0];
        var heading = (people, departures.Count) switch
        {
            (_, 1) => $"{CardText.Literal(first.Departure.Owner.DisplayName, 60)} can no longer look after {CardText.Literal(first.App.DisplayName, 80)}",
            (1, var apps) => $"{CardText.Literal(first.Departure.Owner.DisplayName, 60)} can no longer look after {apps} apps you own",
            _ => $"{people} people can no longer look after apps you own",
        };
        List<CardElement> body =
        [
            CardParts.Heading(heading),
            CardParts.Text("You are an owner too. Replace them so the app stays looked after: until then, expiry notices skip them, and once the date below passes the admins are told."),
        ];
        foreach (var (app, departure, replaceBy) in departures.Take(MaxShown))
        {
            var owner = departure.Owner;
            body.Add(CardParts.Section(CardText.Literal(app.DisplayName, 80)));
            body.Add(CardParts.Facts(
                ("Owner", $"{CardText.Literal(owner.DisplayName, 60)}, {CardText.OwnerKindInSentence(owner.Kind)}"),
                ("State", $"{(owner.Deleted ? "deleted from" : "disabled in")} the directory (found {CardText.Date(departure.FoundAt)})"),
                ("Replace by", CardText.Date(replaceBy))));
            body.Add(new ActionSet
            {
                Actions =
                [
                    CardParts.OpenDialog($"Replace {CardText.Literal(owner.DisplayName, 30)}", DialogNames.Owner, app.ObjectId, owner.ObjectId, OwnerModes.Transfer),
                    CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}"),
                ],
            });
        }

        if (departures.Count > MaxShown)
        {
            body.Add(CardParts.Subtle($"…and {departures.Count - MaxShown} more. Type **{CommandNames.MyApps}** to see them all."));
        }

        return CardParts.Card(body);
    }
}
