using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;

namespace CredentialBot.Cards;

/// <summary>One App's status: credentials with days left, owners by kind, and its policy's findings.</summary>
public static class StatusCard
{
    public static AdaptiveCard Build(App app, Policy policy, IReadOnlyList<Finding> findings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(findings);

        var body = new List<CardElement>
        {
            CardParts.Heading(CardText.Literal(app.DisplayName)),
            CardParts.Subtle(CardText.AppKindName(app.Kind)),
            CardParts.Facts(
                ("App ID", CardText.Literal(app.AppId)),
                ("Object ID", CardText.Literal(app.ObjectId)),
                ("Policy", CardText.Literal(policy.Name)),
                ("Status", findings.Count == 0 ? "Compliant" : $"{findings.Count} {(findings.Count == 1 ? "finding" : "findings")}")),
            CardParts.Section("Credentials"),
        };

        if (app.Credentials.Count == 0)
        {
            body.Add(CardParts.Text("This app has no secrets or certificates."));
        }
        else
        {
            body.Add(CardParts.Table(
                ["Credential", "Type", "Expires", "Days left"],
                app.Credentials.OrderBy(c => c.EndsAt).Select(c => CredentialRow(c, now))));
        }

        body.Add(CardParts.Section("Owners"));
        body.Add(CardParts.Facts([.. Enum.GetValues<OwnerKind>().Select(kind => (CardText.OwnerKindName(kind) + "s", OwnerList(app, kind)))]));

        body.Add(CardParts.Section("Findings"));
        if (findings.Count == 0)
        {
            body.Add(CardParts.Text("No findings: this app meets its policy.", Urgency.Healthy));
        }
        else
        {
            body.AddRange(findings.Select(f => CardParts.Text("• " + CardText.Literal(f.Describe(now), 300), UrgencyOf(f))));
        }

        return CardParts.Card(body, [CardParts.OpenUrl($"Open {CardText.Literal(app.DisplayName, 40)} in Entra", CardText.EntraPortalLink(app))]);
    }

    private static CardCell[] CredentialRow(Credential credential, DateTimeOffset now) =>
    [
        new(CardText.Literal(credential.DisplayName ?? credential.KeyId)),
        new(CardText.KindName(credential.Kind)),
        new(CardText.Date(credential.EndsAt)),
        new(CardText.DaysLeft(credential, now), CardText.UrgencyOf(credential, now)),
    ];

    private static string OwnerList(App app, OwnerKind kind)
    {
        var owners = app.OwnersOf(kind).ToList();
        if (owners.Count == 0)
        {
            return "none";
        }

        return string.Join(", ", owners.Select(o =>
        {
            var name = CardText.Literal(o.DisplayName, 60);
            if (o.IsInactive)
            {
                name += o.Deleted ? " (deleted)" : " (disabled)";
            }
            else if (o.Kind == OwnerKind.Technical && o.CanManageCredentials)
            {
                name += " (can rotate)";
            }

            return name;
        }));
    }

    private static Urgency UrgencyOf(Finding finding) => finding switch
    {
        CredentialExpired => Urgency.Expired,
        CredentialExpiringSoon { StageDays: <= 7 } => Urgency.Critical,
        _ => Urgency.Warning,
    };
}
