using CredentialBot.BotFramework.Invokes;
using CredentialBot.Domain;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Status;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation;

/// <summary>"Keep the old secret": cancels a scheduled removal; needs the right to manage the App's credentials.</summary>
public sealed class KeepOldSecret(AppCatalog catalog, SecretRemovalStore removals, AccessControl access, AuditTrail audit, StatusCards statusCards, TimeProvider time) : ICardAction<RemovalActionData>
{
    public static AuditOperation? Operation => AuditOperation.CancelSecretRemoval;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<RemovalActionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = request.Who;
        if (await catalog.GetAsync(request.Data.App, cancellationToken) is not { } app)
        {
            return AdaptiveCardInvokeResponse.Message("That app is no longer in the catalog; nothing was changed.");
        }

        var decision = await access.DecideAsync(who, app, AppRight.ManageCredentials, AuditOperation.CancelSecretRemoval, cancellationToken);
        if (!decision.Allowed)
        {
            return AdaptiveCardInvokeResponse.Message(decision.Explanation);
        }

        var scheduled = (await removals.ScheduledForAsync(app.ObjectId, cancellationToken)).FirstOrDefault(r => r.KeyId == request.Data.KeyId);
        if (scheduled is null)
        {
            return AdaptiveCardInvokeResponse.Message("That secret is no longer scheduled for removal.");
        }

        // The cancellation commits with its event (the pipeline commits the change).
        await audit.BeginChangeAsync(cancellationToken);
        if (!await removals.FinishAsync(scheduled.Id, SecretRemovalStatus.Cancelled, time.GetUtcNow(), cancellationToken))
        {
            await audit.RefusedAsync(who, app.ObjectId, AuditOperation.CancelSecretRemoval, "No longer scheduled for removal (removed or kept meanwhile)", cancellationToken);
            return AdaptiveCardInvokeResponse.Message("That secret is no longer scheduled for removal.");
        }

        await audit.RecordAsync(who, app.ObjectId, AuditOperation.CancelSecretRemoval, AuditOutcome.Succeeded, $"Kept {scheduled.CredentialName ?? scheduled.KeyId} ({scheduled.KeyId})", cancellationToken);
        var banner = $"{CardText.Literal(who.DisplayName ?? "An owner", 60)} kept {CardText.Literal(scheduled.CredentialName ?? "the old secret", 60)}; it will not be removed.";
        return AdaptiveCardInvokeResponse.Card(await statusCards.ForEveryoneAsync(app, banner, cancellationToken));
    }
}
