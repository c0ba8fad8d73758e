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
            : $"Started by {CardText.Literal(by, 60)}. {(progress.Collection == AppKind.Application ? "App registrations" : "Enterprise applications")}: {CardText.Count(progress.AppsStored, progress.Mode == ScanMode.Delta ? "changed app" : "app")} stored so far."),
    ]);

    /// <summary>
    /// What the scan covered (every App the tenant has), what it read (all of them, or only the changes since the
    /// last scan) and what it found new to tell people.
    /// </summary>
    public static AdaptiveCard Finished(string by, ScanResult result, ComplianceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(summary);
        var delta = result.ApplicationsMode == ScanMode.Delta || result.ServicePrincipalsMode == ScanMode.Delta;
        var read = $"{CardText.Count(result.Applications, "app registration")} and {CardText.Count(result.ServicePrincipals, "enterprise application")}";
        return CardParts.Card(
            [
                CardParts.Heading("Scan finished"),
                CardParts.Facts(
                    ("Started by", CardText.Literal(by, 60)),
                    ("Scanned", $"{CardText.Count(summary.Total, "app")} in the tenant"),
                    (delta ? "Changed" : "Read in full", delta ? $"{read} since the last scan" : read),
                    ("New notices", CardText.Count(result.NoticesPlanned, "notice") + (result.NoticesPlanned == 0 ? string.Empty : " to send to owners")),
                    ("Compliant", $"{summary.Compliant} of {CardText.Count(summary.Total, "app")}"),
                    ("Took", $"{result.Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s")),
            ],
            [CardParts.Command("Compliance summary", CommandNames.Compliance)]);
    }

    public static AdaptiveCard Failed(string by) => NoticeCard.Build("Scan failed", $"The scan started by {CardText.Literal(by, 60)} failed; the details are in the bot's log. The next scheduled scan will try again.", Urgency.Critical);
}
