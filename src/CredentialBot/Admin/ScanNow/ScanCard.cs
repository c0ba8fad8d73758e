using System.Globalization;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Scanning;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Admin.ScanNow;

/// <summary>The card of a scan started from the chat, redrawn as it runs and when it ends.</summary>
public static class ScanCard
{
    public static AdaptiveCard Running(string by, ScanProgress? progress) => CardParts.Card(
    [
        CardParts.Heading("Scanning the tenant…"),
        CardParts.Text(progress is null
            ? $"Started by {CardText.Literal(by, 60)}. This card updates as the scan runs."
            : $"Started by {CardText.Literal(by, 60)}. {(progress.Collection == AppKind.Application ? "App registrations" : "Enterprise applications")}: {progress.AppsStored} {(progress.Mode == ScanMode.Delta ? "changed apps" : "apps")} stored so far."),
    ]);

    public static AdaptiveCard Finished(string by, ScanResult result, ComplianceSummary summary) => CardParts.Card(
        [
            CardParts.Heading("Scan finished"),
            CardParts.Facts(
                ("Started by", CardText.Literal(by, 60)),
                ("App registrations", $"{result.Applications} {(result.ApplicationsMode == ScanMode.Delta ? "changed (delta)" : "read")}"),
                ("Enterprise applications", $"{result.ServicePrincipals} {(result.ServicePrincipalsMode == ScanMode.Delta ? "changed (delta)" : "read")}"),
                ("Took", $"{result.Duration.TotalSeconds:F1} s"),
                ("New notices", result.NoticesPlanned.ToString(CultureInfo.InvariantCulture)),
                ("Compliant", $"{summary.Compliant} of {summary.Total}")),
        ],
        [CardParts.Command("Compliance summary", CommandNames.Compliance)]);

    public static AdaptiveCard Failed(string by) => NoticeCard.Build("Scan failed", $"The scan started by {CardText.Literal(by, 60)} failed; the details are in the bot's log. The next scheduled scan will try again.", Urgency.Critical);
}
