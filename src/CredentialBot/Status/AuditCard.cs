using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;

namespace CredentialBot.Status;

/// <summary>An App's recent audit events, newest first.</summary>
public static class AuditCard
{
    public static AdaptiveCard Build(App app, IReadOnlyList<AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(events);
        var body = new List<CardElement>
        {
            CardParts.Heading($"Audit of {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Subtle((events.Count switch
            {
                0 => string.Empty,
                1 => "The only event so far. ",
                _ => $"The {events.Count} most recent events, newest first. ",
            }) + "Events are chained with a key kept outside the database and checkpointed outside it: verify-audit detects events edited, deleted or rewritten in the database, up to its newest checkpoint."),
        };
        if (events.Count == 0)
        {
            body.Add(CardParts.Text("Nothing has been recorded for this app yet."));
        }
        else
        {
            body.Add(CardParts.Table(
                ["When (UTC)", "Who", "What", "Outcome", "Details"],
                events.Select(e => new CardCell[]
                {
                    new(e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
                    new(CardText.Literal(e.ActorName ?? e.ActorObjectId, 40)),
                    new(CardText.Literal(e.Operation, 40)),
                    new(CardText.Literal(e.Outcome, 20), e.Outcome is nameof(AuditOutcome.Refused) or nameof(AuditOutcome.Failed) ? Urgency.Warning : Urgency.None),
                    new(CardText.Literal((e.Reason ?? string.Empty) + (e.Ticket is null ? string.Empty : $" (ticket {e.Ticket})"), 160)),
                })));
        }

        return CardParts.Card(body);
    }
}
