using CredentialBot.Actions;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Cards;
using CredentialBot.Handlers;

namespace CredentialBot.Admin;

/// <summary>
/// "Import N owners" on the preview: the CSV in the card is untrusted, so the sender must still be an admin and every
/// row is validated again before the all-or-nothing import.
/// </summary>
public sealed class ImportConfirmHandler(AccessControl access, OwnerImport import) : IActivityHandler
{
    public RouteKey Key => RouteKey.ForCardAction(ImportCards.ConfirmVerb);

    public async Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var who = await access.PrincipalOfAsync(MessageHandler.ActorOf(turn.Activity), cancellationToken).ConfigureAwait(false);
        if (!who.IsAdmin)
        {
            await access.RefusedAsync(who, null, "Admin:" + Commands.CommandNames.ImportOwners, "Not a CredentialBot admin", null, cancellationToken).ConfigureAwait(false);
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Message("Only CredentialBot admins can import owners; nothing was imported."));
        }

        if (ActionData.Read(turn.Activity.Value, CardsJsonContext.Default.ImportActionData) is not { Csv.Length: > 0 and <= ImportOwnersCommand.MaxInlineCsvBytes } data)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "That import was not understood; nothing was imported."));
        }

        var plan = await import.ValidateAsync(data.Csv, cancellationToken).ConfigureAwait(false);
        if (!plan.CanImport)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(ImportCards.Problems(plan)));
        }

        var imported = await import.ApplyAsync(plan, who, cancellationToken).ConfigureAwait(false);
        return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(ActionCards.Notice(
            $"Imported {imported} {(imported == 1 ? "owner" : "owners")}",
            $"Imported by {CardText.Literal(who.DisplayName ?? "an admin", 60)}; each owner added is in the audit trail.",
            Urgency.Healthy)));
    }
}
