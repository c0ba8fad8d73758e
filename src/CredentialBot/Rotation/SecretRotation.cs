using System.Globalization;
using CredentialBot.Domain;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Rotation;

/// <summary>
/// Rotates a secret once the dialog has checked everything: Graph addPassword, the value written to the App's Key
/// Vault when it asks for one, the replaced secret's removal scheduled for the janitor, the change audited (never the
/// value), and the App's snapshot updated from addPassword's answer. If the vault fails, the value is shown once rather than lost;
/// if the change cannot be recorded, the new secret is removed from Entra again.
/// </summary>
public sealed partial class SecretRotation(
    ITenantAdministration administration,
    KeyVaultDelivery keyVault,
    SecretRemovalStore removals,
    RotationReceiptStore receipts,
    AppRefresher refresher,
    AuditTrail audit,
    TimeProvider time,
    ILogger<SecretRotation> logger)
{
    /// <summary>The outcome, or why Entra refused the new secret (audited as failed).</summary>
    public async Task<(RotationOutcome? Rotated, string? Failure)> RotateAsync(RotationRequest rotation, Principal who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        var app = rotation.App;
        var now = time.GetUtcNow();
        NewSecret secret;
        try
        {
            secret = await administration.AddSecretAsync(app.Kind, app.ObjectId, rotation.Description, now.AddDays(rotation.LifetimeDays), cancellationToken);
        }
        catch (ODataError error)
        {
            var reason = $"Entra refused the new secret: {error.Error?.Message ?? error.Message}";
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateSecret, AuditOutcome.Failed, reason, cancellationToken);
            return (null, reason);
        }

        VaultReference? stored = null;
        string? vaultFailure = null;
        if (rotation.Vault is { } vault)
        {
            try
            {
                stored = await keyVault.StoreAsync(vault, app, secret, cancellationToken);
            }
#pragma warning disable CA1031 // Whatever failed, the secret now exists in Entra: losing its only copy would be worse than showing it once.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                vaultFailure = $"Key Vault {vault.Host} did not take the secret ({(ex as Azure.RequestFailedException)?.Status.ToString(CultureInfo.InvariantCulture) ?? ex.GetType().Name}).";
                LogVaultFailed(logger, app.ObjectId, ex);
            }
        }

        // The removal, the receipt and the event land together, in one transaction: never a removal scheduled without
        // its event, and one wait for SQLite's write lock instead of three.
        SecretRemoval? removal = null;
        try
        {
            await audit.BeginChangeAsync(cancellationToken);
            if (rotation.Replacing is { } replacing)
            {
                await removals.ScheduleAsync(app.ObjectId, app.Kind, replacing.KeyId, replacing.DisplayName, now.AddDays(rotation.GraceDays), who.ObjectId, who.DisplayName, now, cancellationToken);
                removal = (await removals.ScheduledForAsync(app.ObjectId, cancellationToken)).FirstOrDefault(r => r.KeyId == replacing.KeyId);
            }

            var what = $"New secret {secret.KeyId} valid until {CardText.Date(secret.EndsAt)}"
                + (stored is null ? string.Empty : $"; stored in Key Vault as {stored.SecretId.GetLeftPart(UriPartial.Path)}")
                + (vaultFailure is null ? string.Empty : $"; {vaultFailure} Shown once instead")
                + (rotation.Replacing is not { } old ? string.Empty : $"; replaces {old.DisplayName ?? old.KeyId} ({old.KeyId}), removed on {CardText.Date(now.AddDays(rotation.GraceDays))}");
            await receipts.WatchAsync(app.ObjectId, app.Kind, secret.KeyId, rotation.Description, now, who.ObjectId, who.DisplayName, RotationCard.Serialize(rotation.Card), cancellationToken);
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateSecret, AuditOutcome.Succeeded, what, cancellationToken);
            await audit.CommitChangeAsync(cancellationToken);
        }
#pragma warning disable CA1031 // Whatever failed (the store, or the person's request cancelled), the secret exists in Entra with no record: it must go.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await audit.AbandonChangeAsync();
            var failure = await TakeBackAsync(app, who, secret, ex);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            return (null, failure);
        }

        LogRotated(logger, app.ObjectId, secret.KeyId);

        // addPassword's answer is the new secret as the App now lists it: stored as is, with no second read through
        // Graph, so the person waiting for the value never queues behind a scan's requests (issue 18.1). The snapshot
        // mirrors Entra and every scan reconciles it, so it is written after the change, not held inside it.
        var refreshed = await refresher.StoreChangeAsync(app.ObjectId, secret.AddedTo, cancellationToken) ?? secret.AddedTo(app);
        return (new RotationOutcome(refreshed, secret, stored, vaultFailure, removal), null);
    }

    /// <summary>
    /// A secret Entra created but the bot could not record (no event, no receipt, no removal of the old one) is removed
    /// again, so no credential exists that the trail does not know and whose value nobody has seen; the attempt is
    /// recorded as failed on its own. Returns what to tell the person. Runs to the end even when the request was
    /// cancelled: an unrecorded secret is worse than a late answer.
    /// </summary>
    private async Task<string> TakeBackAsync(App app, Principal who, NewSecret secret, Exception failure)
    {
        LogNotRecorded(logger, app.ObjectId, secret.KeyId, failure);
        bool removed;
        try
        {
            await administration.RemoveSecretAsync(app.Kind, app.ObjectId, secret.KeyId, CancellationToken.None);
            removed = true;
        }
#pragma warning disable CA1031 // Any failure leaves the secret in Entra: said to the person, logged and recorded below.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogNotRemoved(logger, app.ObjectId, secret.KeyId, ex);
            removed = false;
        }

        var reason = removed
            ? $"New secret {secret.KeyId} removed again: the change could not be recorded"
            : $"New secret {secret.KeyId} created but the change could not be recorded, and removing the secret failed: remove it in Entra";
        try
        {
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateSecret, AuditOutcome.Failed, reason, CancellationToken.None);
        }
#pragma warning disable CA1031 // The store refusing this event too is what the log line below is for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailureNotRecorded(logger, app.ObjectId, secret.KeyId, reason, ex);
        }

        return removed
            ? "The bot could not record the new secret, so it removed it from Entra again. Nothing was changed: try again in a moment."
            : $"The bot could not record the new secret, and removing it again failed. Its value was never shown: ask an admin to remove the secret with key id {secret.KeyId} from {app.DisplayName} in Entra.";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the new secret {KeyId} of {App}; removing it from Entra again")]
    private static partial void LogNotRecorded(ILogger logger, string app, string keyId, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The new secret {KeyId} of {App} is in Entra without a record, and removing it failed: remove it in Entra")]
    private static partial void LogNotRemoved(ILogger logger, string app, string keyId, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not record the failed rotation of {App} (secret {KeyId}): {Reason}")]
    private static partial void LogFailureNotRecorded(ILogger logger, string app, string keyId, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store the new secret of {App} in Key Vault; it is shown once instead")]
    private static partial void LogVaultFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated a secret of {App}: new key {KeyId}")]
    private static partial void LogRotated(ILogger logger, string app, string keyId);
}
