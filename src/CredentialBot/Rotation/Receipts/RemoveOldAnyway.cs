using CredentialBot.BotFramework.Invokes;
using CredentialBot.Domain;
using CredentialBot.Rotation.Certificates;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// "Remove anyway" on a still-used card: someone who may manage the App's credentials removes the held old credential
/// now. The card's one-time id is spent before Entra is called (a second press does nothing); a removal already
/// decided (removed, kept, cancelled) is refused; each outcome is audited with the person who pressed.
/// </summary>
public sealed class RemoveOldAnyway(
    AppCatalog catalog,
    SecretRemovalStore removals,
    OldCredentialRemover remover,
    AppRefresher refresher,
    AccessControl access,
    AuditTrail audit,
    TimeProvider time) : ICardAction<StillUsedDecisionData>
{
    public static AuditOperation? Operation => AuditOperation.RemoveOldSecret;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<StillUsedDecisionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = request.Who;
        if (await catalog.GetAsync(request.Data.App, cancellationToken) is not { } app)
        {
            await audit.RefusedAsync(who, request.Data.App, AuditOperation.RemoveOldSecret, "An app that is not in the catalog", cancellationToken);
            return AdaptiveCardInvokeResponse.Message("That app is no longer in the catalog; nothing was changed.");
        }

        var decision = await access.DecideAsync(who, app, AppRight.ManageCredentials, AuditOperation.RemoveOldSecret, cancellationToken);
        if (!decision.Allowed)
        {
            return AdaptiveCardInvokeResponse.Message(decision.Explanation);
        }

        if (await removals.FindAsync(app.ObjectId, request.Data.KeyId, cancellationToken) is not { Status: SecretRemovalStatus.Scheduled, AskedAt: not null } removal)
        {
            await audit.RefusedAsync(who, app.ObjectId, AuditOperation.RemoveOldSecret, $"Remove anyway: {request.Data.KeyId} no longer waits for an owner (removed, kept or cancelled meanwhile)", cancellationToken);
            return AdaptiveCardInvokeResponse.Message("That credential no longer waits for a decision (an owner removed or kept it meanwhile); nothing was changed.");
        }

        var what = $"Removing {removal.CredentialName ?? removal.KeyId} ({removal.KeyId}) anyway, though it was used at {(removal.LastUsedAt is { } used ? CardText.DateTime(used) : "an unknown time")}";
        if (await audit.ConfirmBeforeCallingOutAsync(who, app.ObjectId, AuditOperation.RemoveOldSecret, request.Data.Confirm, what, cancellationToken) is { } again)
        {
            return AdaptiveCardInvokeResponse.Message(again);
        }

        if (await remover.RemoveAsync(removal, cancellationToken) is not { } removed)
        {
            // Entra refused: the removal goes back to the janitor, which reads the usage again and asks again if needed.
            await removals.PostponeAsync(removal.Id, time.GetUtcNow(), cancellationToken);
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RemoveOldSecret, AuditOutcome.Failed, $"Entra did not remove {removal.KeyId}; the janitor will try again", cancellationToken);
            return AdaptiveCardInvokeResponse.Message("Entra did not remove the credential now; the janitor will try again and ask you again if it is still used.");
        }

        // The snapshot drops the key before the audited change opens (on SQLite the change holds the write lock).
        await refresher.StoreChangeAsync(app.ObjectId, a => a with { Credentials = [.. a.Credentials.Where(c => c.KeyId != removal.KeyId)] }, cancellationToken);
        var now = time.GetUtcNow();
        await audit.BeginChangeAsync(cancellationToken);
        await removals.FinishAsync(removal.Id, removed ? SecretRemovalStatus.Removed : SecretRemovalStatus.AlreadyGone, now, cancellationToken);
        await audit.RecordAsync(who, app.ObjectId, AuditOperation.RemoveOldSecret, removed ? AuditOutcome.Succeeded : AuditOutcome.AlreadyGone, $"{removal.CredentialName ?? removal.KeyId} ({removal.KeyId}) removed anyway, though still used", cancellationToken);
        var text = $"{CardText.Literal(who.DisplayName ?? "An owner", 60)} removed {CardText.Literal(removal.CredentialName ?? removal.KeyId, 60)} from {CardText.Literal(app.DisplayName, 80)} at {CardText.DateTime(now)}, though it was still used.";
        return AdaptiveCardInvokeResponse.Card(NoticeCard.Build("Old credential removed", text, Urgency.Warning));
    }
}
