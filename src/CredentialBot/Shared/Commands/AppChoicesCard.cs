using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Shared.Commands;

/// <summary>Several Apps match a command's query: list them so the person can pick one, re-running the same command.</summary>
public static class AppChoicesCard
{
    public const int MaxChoices = 10;

    public static AdaptiveCard Build(string query, IReadOnlyList<App> matches, string command = CommandNames.Status)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var shown = matches.Take(MaxChoices).ToList();
        var body = new List<CardElement>
        {
            CardParts.Heading("Which app did you mean?"),
            CardParts.Text($"Several apps match '{CardText.Literal(query, 80)}'. Choose one:"),
            CardParts.Table(
                ["App", "App ID", "Kind"],
                shown.Select(a => new CardCell[] { new(CardText.Literal(a.DisplayName, 60)), new(CardText.Literal(a.AppId)), new(a.Kind == AppKind.Application ? "App registration" : "Service principal") }),
                shown.Select(a => $"{command} {a.AppId}")),
        };

        if (matches.Count > MaxChoices)
        {
            body.Add(CardParts.Subtle($"More than {MaxChoices} apps match; type more of the name or the appId."));
        }

        return CardParts.Card(body);
    }
}
