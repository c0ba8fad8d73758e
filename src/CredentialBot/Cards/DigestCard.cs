using CredentialBot.BotFramework.Cards;
using CredentialBot.Commands;
using CredentialBot.Domain;

namespace CredentialBot.Cards;

/// <summary>
/// One person's expiry digest: every credential that reached a new stage for them in this scan, most urgent
/// first, grouped by App, with why they are told (their role) and a way to see the App's full status.
/// Built from the store's current state when sent, so it never shows a credential that was rotated meanwhile.
/// </summary>
public static class DigestCard
{
    public const int MaxApps = 15;

    public static AdaptiveCard Build(IReadOnlyList<(App App, IReadOnlyList<Notice> Notices)> items, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(items);
        var credentialCount = items.Sum(i => i.Notices.Select(n => n.CredentialKeyId).Distinct(StringComparer.Ordinal).Count());
        var body = new List<CardElement>
        {
            CardParts.Heading(credentialCount == 1 ? "A credential needs you" : $"{credentialCount} credentials need you"),
            CardParts.Text("These app secrets and certificates are expired or about to expire. Rotate them before they break production."),
        };

        foreach (var (app, notices) in items.Take(MaxApps))
        {
            var role = notices.Min(n => n.Role);
            body.Add(CardParts.Section(CardText.Literal(app.DisplayName)));
            body.Add(CardParts.Subtle($"App ID {CardText.Literal(app.AppId)} · you are told as its {RoleName(role)}"));
            var credentials = notices.Select(n => n.CredentialKeyId).Distinct(StringComparer.Ordinal)
                .Select(id => app.Credentials.FirstOrDefault(c => c.KeyId == id)).OfType<Credential>()
                .OrderBy(c => c.EndsAt);
            body.Add(CardParts.Table(["Credential", "Type", "Expires", "Days left"], credentials.Select(c => new CardCell[]
            {
                new(CardText.Literal(c.DisplayName ?? c.KeyId)),
                new(CardText.KindName(c.Kind)),
                new(CardText.Date(c.EndsAt)),
                new(CardText.DaysLeft(c, now), CardText.UrgencyOf(c, now)),
            })));
            body.Add(new ActionSet
            {
                Actions =
                [
                    CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}"),
                    CardParts.OpenUrl("Open in Entra", CardText.EntraPortalLink(app)),
                ],
            });
        }

        if (items.Count > MaxApps)
        {
            body.Add(CardParts.Subtle($"…and {items.Count - MaxApps} more apps. Type **{CommandNames.MyApps}** to see them all."));
        }

        return CardParts.Card(body);
    }

    private static string RoleName(RecipientRole role) => role switch
    {
        RecipientRole.TechnicalOwner => "technical owner",
        RecipientRole.BusinessOwner => "business owner",
        _ => "Entra owner",
    };
}
