using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Admin.Posture;

/// <summary>The compliance summary's "Tenant posture" part: each check's finding, why, and admin center link, then what changed.</summary>
public static class PostureSection
{
    public static IReadOnlyList<CardElement> Build(TenantPostureReport? latest, TenantPostureReport? previous)
    {
        var body = new List<CardElement> { CardParts.Section("Tenant posture") };
        if (latest is null)
        {
            body.Add(CardParts.Subtle("Not reviewed yet: the next scan reads the tenant's settings."));
            return body;
        }

        foreach (var finding in latest.Findings)
        {
            body.Add(CardParts.Text($"**{CardText.Literal(finding.Check, 80)}**: {CardText.Literal(finding.Finding, 300)}", UrgencyOf(finding.Rating)));
            body.Add(CardParts.Subtle($"{CardText.Literal(finding.Why, 300)} [Open in the Entra admin center]({finding.AdminCenterLink})"));
        }

        var changes = latest.ChangesSince(previous);
        if (previous is not null)
        {
            body.Add(CardParts.Section("Posture changes since the previous scan"));
            body.AddRange(changes.Count == 0
                ? [CardParts.Subtle("None.")]
                : changes.Select(c => CardParts.Text("• " + CardText.Literal(c, 400), Urgency.Warning)));
        }

        return body;
    }

    private static Urgency UrgencyOf(PostureRating rating) => rating switch
    {
        PostureRating.Good => Urgency.Healthy,
        PostureRating.AtRisk => Urgency.Warning,
        _ => Urgency.None,
    };
}
