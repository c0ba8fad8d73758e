using CredentialBot.Actions;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Cards;

namespace CredentialBot.Admin;

/// <summary>
/// "Import N owners" on the preview: the CSV in the card is untrusted, so the sender must still be an admin and every
/// row is validated again before the all-or-nothing import.
/// </summary>
public sealed class ImportConfirmHandler(AccessControl access, OwnerImport import) : IInvokeHandler<ImportActionData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<ImportActionData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.Data;
        var who = await access.PrincipalOfAsync(context.Actor, cancellationToken);
        if (!who.IsAdmin)
        {
            await access.RefusedAsync(who, null, "Admin:" + Commands.CommandNames.ImportOwners, "Not a CredentialBot admin", null, cancellationToken);
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Message("Only CredentialBot admins can import owners; nothing was imported."));
        }

        var plan = await import.ValidateAsync(data.Csv, cancellationToken);
        if (!plan.CanImport)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(ImportCards.Problems(plan)));
        }

        var imported = await import.ApplyAsync(plan, who, cancellationToken);
        return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(ActionCards.Notice(
            $"Imported {imported} {(imported == 1 ? "owner" : "owners")}",
            $"Imported by {CardText.Literal(who.DisplayName ?? "an admin", 60)}; each owner added is in the audit trail.",
            Urgency.Healthy)));
    }
}
