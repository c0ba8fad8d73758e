using CredentialBot.Rotation.Certificates;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation;

/// <summary>
/// The janitor's part of rotation: secrets and certificates whose grace period is over are removed (<see cref="OldCredentialRemover"/>), each claimed
/// once, audited as the bot, and the App's snapshot refreshed. A removal Entra refuses stays scheduled for the next round.
/// </summary>
public sealed class OldSecretRemovals(SecretRemovalStore removals, OldCredentialRemover remover, AppRefresher refresher, AuditTrail audit) : IJanitorChore
{
    private const int PerRound = 100;

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var removal in await removals.DueAsync(now, PerRound, cancellationToken))
        {
            if (await remover.RemoveAsync(removal, cancellationToken) is not { } removed)
            {
                continue;
            }

            if (await removals.FinishAsync(removal.Id, removed ? SecretRemovalStatus.Removed : SecretRemovalStatus.AlreadyGone, now, cancellationToken))
            {
                var what = $"{removal.CredentialName ?? removal.KeyId} ({removal.KeyId}), rotated by {removal.RequestedByName ?? removal.RequestedByObjectId}";
                await audit.RecordAsync(AuditTrail.Bot, removal.AppObjectId, AuditOperation.RemoveOldSecret, removed ? AuditOutcome.Succeeded : AuditOutcome.AlreadyGone, what, cancellationToken);
                await refresher.RefreshAsync(removal.AppKind, removal.AppObjectId, cancellationToken);
            }
        }
    }
}
