using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Admin.Import;

/// <summary>
/// "Import N owners" on the preview: the CSV in the card is untrusted, so the sender must still be an admin and every
/// row is validated again before the all-or-nothing import. The preview's confirm id is consumed in the import's own
/// transaction: a second press (a double click, a retry, another admin on the same card) is told who imported it
/// when, is audited, and imports nothing. A scoped admin's rows are checked against their scopes again: the card's CSV
/// may have been forged to name other Apps, and those rows are refused (and audited) as in the preview.
/// </summary>
public sealed class ConfirmImport(AdminGate admins, AdminScopeResolver scopes, OwnerImport import, AuditTrail audit) : ICardAction<ImportActionData>
{
    public static AuditOperation? Operation => AuditOperation.AdminCommand(CommandNames.ImportOwners);

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<ImportActionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = request.Who;
        if (!await admins.AllowsAsync(who, CommandNames.ImportOwners, cancellationToken, scopedAdmins: true))
        {
            return AdaptiveCardInvokeResponse.Message("Only CredentialBot admins can import owners; nothing was imported.");
        }

        var plan = await import.ValidateAsync(request.Data.Csv, cancellationToken, who.IsAdmin ? null : await scopes.ScopesOfAsync(who, cancellationToken));
        await import.AuditOutsideScopeAsync(plan, who, cancellationToken);
        if (!plan.CanImport)
        {
            return AdaptiveCardInvokeResponse.Card(ImportCards.Problems(plan));
        }

        if (await audit.ConfirmOnceAsync(who, null, AuditOperation.AdminCommand(CommandNames.ImportOwners), request.Data.Confirm, cancellationToken) is { } again)
        {
            return AdaptiveCardInvokeResponse.Card(NoticeCard.Build("Already imported", CardText.Literal(again, 200), Urgency.Warning));
        }

        var imported = await import.ApplyAsync(plan, who, cancellationToken);
        return AdaptiveCardInvokeResponse.Card(NoticeCard.Build(
            $"Imported {imported} {(imported == 1 ? "owner" : "owners")}",
            $"Imported by {CardText.Literal(who.DisplayName ?? "an admin", 60)}; each owner added is in the audit trail.",
            Urgency.Healthy));
    }
}
