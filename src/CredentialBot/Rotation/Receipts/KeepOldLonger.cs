using CredentialBot.BotFramework.Invokes;
using CredentialBot.Domain;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// "Keep N more days" on a still-used card: the held removal is due again in <see cref="ReceiptOptions.KeepLongerDays"/>
/// days, when the janitor reads the usage again. The card's one-time id and a conditional update make a second press,
/// or one after another owner decided, change nothing; both are audited with the person who pressed.
/// </summary>
public sealed class KeepOldLonger(AppCatalog catalog, SecretRemovalStore removals, AccessControl access, AuditTrail audit, IOptions<ReceiptOptions> options, TimeProvider time) : ICardAction<StillUsedDecisionData>
{
    public static AuditOperation? Operation => AuditOperation.KeepOldCredentialLonger;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<StillUsedDecisionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = request.Who;
        if (await catalog.GetAsync(request.Data.App, cancellationToken) is not { } app)
        {
            await audit.RefusedAsync(who, request.Data.App, AuditOperation.KeepOldCredentialLonger, "An app that is not in the catalog", cancellationToken);
            return AdaptiveCardInvokeResponse.Message("That app is no longer in the catalog; nothing was changed.");
        }

        var decision = await access.DecideAsync(who, app, AppRight.ManageCredentials, AuditOperation.KeepOldCredentialLonger, cancellationToken);
        if (!decision.Allowed)
        {
            return AdaptiveCardInvokeResponse.Message(decision.Explanation);
        }

        if (await removals.FindAsync(app.ObjectId, request.Data.KeyId, cancellationToken) is not { Status: SecretRemovalStatus.Scheduled, AskedAt: not null } removal)
        {
            await audit.RefusedAsync(who, app.ObjectId, AuditOperation.KeepOldCredentialLonger, $"{request.Data.KeyId} no longer waits for an owner (removed, kept or cancelled meanwhile)", cancellationToken);
            return AdaptiveCardInvokeResponse.Message("That credential no longer waits for a decision (an owner removed or kept it meanwhile); nothing was changed.");
        }

        if (await audit.ConfirmOnceAsync(who, app.ObjectId, AuditOperation.KeepOldCredentialLonger, request.Data.Confirm, cancellationToken) is { } again)
        {
            return AdaptiveCardInvokeResponse.Message(again);
        }

        var days = options.Value.KeepLongerDays;
        var due = time.GetUtcNow().AddDays(days);
        if (!await removals.PostponeAsync(removal.Id, due, cancellationToken))
        {
            await audit.RefusedAsync(who, app.ObjectId, AuditOperation.KeepOldCredentialLonger, $"{removal.KeyId} no longer waits for an owner (decided meanwhile)", cancellationToken);
            return AdaptiveCardInvokeResponse.Message("That credential no longer waits for a decision; nothing was changed.");
        }

        await audit.RecordAsync(who, app.ObjectId, AuditOperation.KeepOldCredentialLonger, AuditOutcome.Succeeded, $"Kept {removal.CredentialName ?? removal.KeyId} ({removal.KeyId}) {days} more days; removal due {CardText.Date(due)} if no longer used", cancellationToken);
        var text = $"{CardText.Literal(who.DisplayName ?? "An owner", 60)} kept {CardText.Literal(removal.CredentialName ?? removal.KeyId, 60)} of {CardText.Literal(app.DisplayName, 80)} for {days} more days. On {CardText.Date(due)} the bot looks at its use again: it is removed then if nothing used it recently, otherwise you are asked again.";
        return AdaptiveCardInvokeResponse.Card(NoticeCard.Build("Old credential kept", text, Urgency.None));
    }
}
