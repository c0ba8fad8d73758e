using CredentialBot.Domain;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation.Certificates;

/// <summary>
/// Adds a checked public certificate to an App's key credentials (Graph PATCH keyCredentials, keeping the others),
/// schedules the replaced certificate's removal with the same grace period, Keep button and janitor as secrets, audits
/// it, and refreshes the App's snapshot. Only public parts pass through here.
/// </summary>
public sealed partial class CertificateRotation(
    ITenantAdministration administration,
    SecretRemovalStore removals,
    RotationReceiptStore receipts,
    AppRefresher refresher,
    AuditTrail audit,
    TimeProvider time,
    ILogger<CertificateRotation> logger)
{
    /// <summary>The outcome, or why Entra refused the certificate (audited as failed).</summary>
    public async Task<(CertificateRotationOutcome? Rotated, string? Failure)> RotateAsync(CertificateRotationRequest rotation, Principal who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(who);
        var (app, certificate) = (rotation.App, rotation.Certificate);
        var now = time.GetUtcNow();
        var name = $"{Shorten(certificate.Subject)} (CredentialBot {CardText.Date(now)})";
        var added = await administration.AddCertificateAsync(app.Kind, app.ObjectId, certificate, name, cancellationToken);
        if (added.Value is not { } credential)
        {
            var reason = $"Entra did not take the certificate {certificate.Thumbprint}: {added.Refusal!.Reason}"
                + (added.Refusal.RequiredPermission is { } permission ? $" (needs {permission})" : string.Empty);
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateCertificate, added.Refusal.Kind == DirectoryRefusalKind.Invalid ? AuditOutcome.Refused : AuditOutcome.Failed, reason, cancellationToken);
            return (null, reason);
        }

        SecretRemoval? removal = null;
        if (rotation.Replacing is { } replacing)
        {
            await removals.ScheduleAsync(app.ObjectId, app.Kind, replacing.KeyId, replacing.DisplayName, now.AddDays(rotation.GraceDays), who.ObjectId, who.DisplayName, now, cancellationToken);
            removal = (await removals.ScheduledForAsync(app.ObjectId, cancellationToken)).FirstOrDefault(r => r.KeyId == replacing.KeyId);
        }

        var what = $"New certificate {credential.KeyId} ({certificate.Subject}, thumbprint {certificate.Thumbprint}) valid until {CardText.Date(certificate.NotAfter)}, {rotation.Source}"
            + (rotation.Replacing is not { } old ? string.Empty : $"; replaces {old.DisplayName ?? old.KeyId} ({old.KeyId}), removed on {CardText.Date(now.AddDays(rotation.GraceDays))}");
        await receipts.WatchAsync(app.ObjectId, app.Kind, credential.KeyId, name, now, who.ObjectId, who.DisplayName, RotationCard.Serialize(rotation.Card), cancellationToken);
        await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateCertificate, AuditOutcome.Succeeded, what, cancellationToken);
        LogRotated(logger, app.ObjectId, credential.KeyId, certificate.Thumbprint);

        var refreshed = await refresher.RefreshAsync(app.Kind, app.ObjectId, cancellationToken) ?? app;
        return (new CertificateRotationOutcome(refreshed, credential, certificate, removal), null);
    }

    private static string Shorten(string subject) => subject.Length <= 60 ? subject : subject[..60];

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated a certificate of {App}: new key {KeyId}, thumbprint {Thumbprint}")]
    private static partial void LogRotated(ILogger logger, string app, string keyId, string thumbprint);
}
