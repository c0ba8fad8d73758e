using CredentialBot.Domain;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Jobs;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Rotation;

/// <summary>
/// The janitor's part of rotation: secrets whose grace period is over are removed (Graph removePassword), each claimed
/// once, audited as the bot, and the App's snapshot refreshed. A removal Entra refuses stays scheduled for the next round.
/// </summary>
public sealed partial class OldSecretRemovals(SecretRemovalStore removals, ITenantAdministration administration, AppRefresher refresher, AuditTrail audit, ILogger<OldSecretRemovals> logger) : IJanitorChore
{
    private const int PerRound = 100;

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var removal in await removals.DueAsync(now, PerRound, cancellationToken))
        {
            bool removed;
            try
            {
                removed = await administration.RemoveSecretAsync(removal.AppKind, removal.AppObjectId, removal.KeyId, cancellationToken);
            }
            catch (ODataError error)
            {
                LogRemovalFailed(logger, removal.AppObjectId, error);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove an old secret of {App}; retrying next round")]
    private static partial void LogRemovalFailed(ILogger logger, string app, Exception exception);
}
