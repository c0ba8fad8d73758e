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
    UnrecordedCredentials unrecorded,
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
        var notRecorded = await unrecorded.RecordOrTakeBackAsync(app, who, AuditOperation.RotateSecret, "secret", secret.KeyId, async () =>
        {
            if (rotation.Replacing is { } replacing)
            {
                removal = await removals.ScheduleAsync(app.ObjectId, app.Kind, replacing.KeyId, replacing.DisplayName, now.AddDays(rotation.GraceDays), who.ObjectId, who.DisplayName, now, cancellationToken);
            }

            var what = $"New secret {secret.KeyId} valid until {CardText.Date(secret.EndsAt)}"
                + (stored is null ? string.Empty : $"; stored in Key Vault as {stored.SecretId.GetLeftPart(UriPartial.Path)}")
                + (vaultFailure is null ? string.Empty : $"; {vaultFailure} Shown once instead")
                + (rotation.Replacing is not { } old ? string.Empty : $"; replaces {old.DisplayName ?? old.KeyId} ({old.KeyId}), removed on {CardText.Date(now.AddDays(rotation.GraceDays))}");
            await receipts.WatchAsync(app.ObjectId, app.Kind, secret.KeyId, rotation.Description, now, who.ObjectId, who.DisplayName, RotationCard.Serialize(rotation.Card), cancellationToken);
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateSecret, AuditOutcome.Succeeded, what, cancellationToken);
        }, async () =>
        {
            await administration.RemoveSecretAsync(app.Kind, app.ObjectId, secret.KeyId, CancellationToken.None);
            return true;
        }, cancellationToken);
        if (notRecorded is not null)
        {
            return (null, notRecorded);
        }

        LogRotated(logger, app.ObjectId, secret.KeyId);

        // addPassword's answer is the new secret as the App now lists it: stored as is, with no second read through
        // Graph, so the person waiting for the value never queues behind a scan's requests (issue 18.1). The snapshot
        // mirrors Entra and every scan reconciles it, so it is written after the change, not held inside it.
        var refreshed = await refresher.StoreChangeAsync(app.ObjectId, secret.AddedTo, cancellationToken) ?? secret.AddedTo(app);
        return (new RotationOutcome(refreshed, secret, stored, vaultFailure, removal), null);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store the new secret of {App} in Key Vault; it is shown once instead")]
    private static partial void LogVaultFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated a secret of {App}: new key {KeyId}")]
    private static partial void LogRotated(ILogger logger, string app, string keyId);
}
