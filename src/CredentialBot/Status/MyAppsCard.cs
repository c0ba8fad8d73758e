using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Status;

/// <summary>The Apps a person owns (any kind), most urgent first, with each App's nearest expiry.</summary>
public static class MyAppsCard
{
    /// <summary>Rows beyond this are summarised: a card must stay well under Teams' 28 KB budget.</summary>
    public const int MaxRows = 20;

    public static AdaptiveCard Build(IReadOnlyList<App> apps, string personObjectId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(apps);
        if (apps.Count == 0)
        {
            return CardParts.Card(
                [
                    CardParts.Heading("Your apps"),
                    CardParts.Text("You are not an owner of any app registration or enterprise application I know of."),
                    CardParts.Subtle($"Use **{CommandNames.Status}** *app name or appId* to look up any app."),
                ]);
        }

        var ordered = MostUrgentFirst(apps).ToList();
        var needAttention = ordered.Count(a => CardText.UrgencyOf(a.NearestExpiry, now) >= Urgency.Warning);
        var body = new List<CardElement>
        {
            CardParts.Heading($"Your apps ({ordered.Count})"),
            CardParts.Text(needAttention == 0
                ? "No credential of yours expires in the next 30 days."
                : $"{needAttention} of them {(needAttention == 1 ? "has a credential" : "have credentials")} expired or expiring within 30 days."),
            CardParts.Table(
                ["App", "Your role", "Nearest expiry", "Days left"],
                ordered.Take(MaxRows).Select(app => Row(app, personObjectId, now)),
                ordered.Take(MaxRows).Select(app => $"{CommandNames.Status} {app.AppId}")),
        };

        if (ordered.Count > MaxRows)
        {
            body.Add(CardParts.Subtle($"Showing the {MaxRows} most urgent of {ordered.Count} apps."));
        }

        body.Add(CardParts.Subtle($"Select an app, or type **{CommandNames.Status}** *app name*, for its details."));
        return CardParts.Card(body);
    }

    /// <summary>Expired first, then by nearest expiry; Apps without credentials last; ties by name.</summary>
    public static IEnumerable<App> MostUrgentFirst(IEnumerable<App> apps) =>
        apps.OrderBy(a => a.NearestExpiry?.EndsAt ?? DateTimeOffset.MaxValue)
            .ThenBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(a => a.ObjectId, StringComparer.Ordinal);

    private static CardCell[] Row(App app, string personObjectId, DateTimeOffset now)
    {
        var nearest = app.NearestExpiry;
        var roles = app.Owners
            .Where(o => string.Equals(o.ObjectId, personObjectId, StringComparison.Ordinal))
            .Select(o => o.Kind == OwnerKind.Technical && o.CanManageCredentials ? "Technical (can rotate)" : o.Kind.ToString())
            .Distinct();
        return
        [
            new(CardText.Literal(app.DisplayName, 60)),
            new(string.Join(", ", roles)),
            new(nearest is null ? "no credentials" : $"{CardText.KindName(nearest.Kind)} {CardText.Literal(nearest.DisplayName ?? nearest.KeyId, 40)}, {CardText.Date(nearest.EndsAt)}"),
            new(nearest is null ? "—" : CardText.DaysLeft(nearest, now), CardText.UrgencyOf(nearest, now)),
        ];
    }
}
