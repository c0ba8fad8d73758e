using System.Globalization;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Admin.Compliance;

/// <summary>The admins' compliance summary, with the change since the previous one and the most urgent Apps.</summary>
public static class ComplianceCard
{
    public static AdaptiveCard Build(ComplianceSummary summary, ComplianceSummary? previous)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var body = new List<CardElement>
        {
            CardParts.Heading("Compliance of the tenant"),
            CardParts.Subtle(previous is null
                ? $"As of the scan at {summary.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC; the first summary, so no change to show yet."
                : $"As of the scan at {summary.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC; changes are against {previous.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC."),
            CardParts.Facts(
                ("Apps scanned", $"{summary.Total} ({summary.Applications} app registrations, {summary.ServicePrincipals} enterprise applications){Change(summary.Total, previous?.Total)}"),
                ("Compliant", $"{summary.Compliant} of {summary.Total} ({summary.CompliantShare.ToString("P0", CultureInfo.InvariantCulture)}){Change(summary.Compliant, previous?.Compliant)}"),
                ("Expired", $"{summary.Expired}{Change(summary.Expired, previous?.Expired)}"),
                ("Expiring within 7 days", $"{summary.ExpiringWithin7Days}{Change(summary.ExpiringWithin7Days, previous?.ExpiringWithin7Days)}"),
                ("Expiring within 30 days (incl. 7 days)", $"{summary.ExpiringWithin30Days}{Change(summary.ExpiringWithin30Days, previous?.ExpiringWithin30Days)}")),
            CardParts.Section("Non-compliant by rule"),
            CardParts.Facts([.. ComplianceTally.Rules.Select(rule => (rule, $"{summary.NonCompliantByRule.GetValueOrDefault(rule)}{Change(summary.NonCompliantByRule.GetValueOrDefault(rule), previous?.NonCompliantByRule.GetValueOrDefault(rule))}"))]),
            CardParts.Section(summary.MostUrgent.Count switch { 0 => "Most urgent apps", 1 => "The most urgent app", _ => $"The {summary.MostUrgent.Count} most urgent apps" }),
        };
        if (summary.MostUrgent.Count == 0)
        {
            body.Add(CardParts.Text("Every app meets its policy.", Urgency.Healthy));
        }
        else
        {
            body.Add(CardParts.Table(
                ["App", "Why"],
                summary.MostUrgent.Select(u => new CardCell[] { new(CardText.Literal(u.DisplayName, 60)), new(CardText.Literal(u.Reason, 120), u.Urgency == 0 ? Urgency.Expired : Urgency.Warning) }),
                summary.MostUrgent.Select(u => $"{CommandNames.Status} {u.AppId}")));
            body.Add(CardParts.Subtle("Select an app to open its status."));
        }

        return CardParts.Card(body, [.. summary.MostUrgent.Take(3).Select(u => CardParts.Command($"Open {CardText.Literal(u.DisplayName, 30)}", $"{CommandNames.Status} {u.AppId}"))]);
    }

    /// <summary>" (+3)", " (−2)", or nothing when unchanged or there is nothing to compare with.</summary>
    private static string Change(int now, int? before) => before is { } b && b != now
        ? string.Create(CultureInfo.InvariantCulture, $" ({(now > b ? "+" : "−")}{Math.Abs(now - b)} since the previous scan)")
        : string.Empty;
}
