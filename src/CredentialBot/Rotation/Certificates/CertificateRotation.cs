using CredentialBot.Domain;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation.Certificates;

/// <summary>
/// Adds a checked public certificate to an App's key credentials (Graph PATCH keyCredentials, keeping the others),
/// schedules the replaced certificate's removal with the same grace period, Keep button and janitor as secrets, audits
/// it (a certificate that cannot be recorded is removed again: <see cref="UnrecordedCredentials"/>), and refreshes the
/// App's snapshot. Only public parts pass through here. Its two steps — Key Vault making the
/// certificate (<see cref="MakeInVaultAsync"/>) and Entra taking its public key (<see cref="AddToAppAsync"/>) — are also
/// what the hands-free rotation does, with its own bookkeeping around them.
/// </summary>
public sealed partial class CertificateRotation(
    ITenantAdministration administration,
    ITenantDirectory directory,
    ICertificateVault vaults,
    SecretRemovalStore removals,
    RotationReceiptStore receipts,
    AppRefresher refresher,
    AuditTrail audit,
    UnrecordedCredentials unrecorded,
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
        var (credential, refusal, failure) = await AddToAppAsync(app, certificate, name, cancellationToken);
        if (credential is null)
        {
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateCertificate, refusal!.Kind == DirectoryRefusalKind.Invalid ? AuditOutcome.Refused : AuditOutcome.Failed, failure!, cancellationToken);
            return (null, failure);
        }

        // The removal, the receipt and the event land together, in one transaction, or not at all.
        SecretRemoval? removal = null;
        var notRecorded = await unrecorded.RecordOrTakeBackAsync(app, who, AuditOperation.RotateCertificate, "certificate", credential.KeyId, async () =>
        {
            if (rotation.Replacing is { } replacing)
            {
                removal = await removals.ScheduleAsync(app.ObjectId, app.Kind, replacing.KeyId, replacing.DisplayName, now.AddDays(rotation.GraceDays), who.ObjectId, who.DisplayName, now, cancellationToken);
            }

            var what = $"New certificate {credential.KeyId} ({certificate.Subject}, thumbprint {certificate.Thumbprint}) valid until {CardText.Date(certificate.NotAfter)}, {rotation.Source}"
                + (rotation.Replacing is not { } old ? string.Empty : $"; replaces {old.DisplayName ?? old.KeyId} ({old.KeyId}), removed on {CardText.Date(now.AddDays(rotation.GraceDays))}");
            await receipts.WatchAsync(app.ObjectId, app.Kind, credential.KeyId, name, now, who.ObjectId, who.DisplayName, RotationCard.Serialize(rotation.Card), cancellationToken);
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateCertificate, AuditOutcome.Succeeded, what, cancellationToken);
        }, async () => (await administration.RemoveCertificateAsync(app.Kind, app.ObjectId, credential.KeyId, CancellationToken.None)) is { IsRefused: false } or { Refusal.Kind: DirectoryRefusalKind.NotFound }, cancellationToken);
        if (notRecorded is not null)
        {
            return (null, notRecorded);
        }

        LogRotated(logger, app.ObjectId, credential.KeyId, certificate.Thumbprint);

        var refreshed = await refresher.RefreshAsync(app.Kind, app.ObjectId, cancellationToken) ?? app;
        return (new CertificateRotationOutcome(refreshed, credential, certificate, removal), null);
    }

    /// <summary>The name of an App's certificate in its vault: where its consumers read the newest version.</summary>
    public static string VaultCertificateName(App app) => KeyVaultDelivery.SecretName(app) + "-cert";

    /// <summary>
    /// Has <paramref name="vault"/> (the App's allowed vault, checked by the caller) make a new version of the App's
    /// certificate under <paramref name="wanted"/>, tagged with <paramref name="tags"/>; the private key stays there.
    /// The public certificate, or why the vault did not make it (with the permission it needs).
    /// </summary>
    public async Task<(PublicCertificate? Made, string? Failure)> MakeInVaultAsync(Uri vault, App app, NewCertificatePolicy wanted, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var made = await vaults.CreateCertificateAsync(vault, VaultCertificateName(app), wanted, tags, cancellationToken);
        return made.Value is { } issued
            ? (issued, null)
            : (null, made.Refusal!.Reason + (made.Refusal.RequiredPermission is { } permission ? $" (needs {permission})" : string.Empty));
    }

    /// <summary>
    /// Adds the public certificate to the App's key credentials as <paramref name="displayName"/>, keeping the others:
    /// the credential, or the directory's refusal and a sentence saying it (with the permission it needs). Not audited.
    /// </summary>
    public async Task<(Credential? Added, DirectoryRefusal? Refusal, string? Failure)> AddToAppAsync(App app, PublicCertificate certificate, string displayName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(certificate);
        var added = await administration.AddCertificateAsync(app.Kind, app.ObjectId, certificate, displayName, cancellationToken);
        return added.Value is { } credential
            ? (credential, null, null)
            : (null, added.Refusal, $"Entra did not take the certificate {certificate.Thumbprint}: {added.Refusal!.Reason}"
                + (added.Refusal.RequiredPermission is { } permission ? $" (needs {permission})" : string.Empty));
    }

    /// <summary>The tenant's certificate lifetime limit (asymmetricKeyLifetime) when set and readable; the policy's maximum applies regardless.</summary>
    public async Task<TimeSpan?> TenantMaximumAsync(App app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        return (await directory.GetTenantPostureAsync(cancellationToken)).AppManagement.Value?.For(app.Kind).MaxCertificateLifetime;
    }

    private static string Shorten(string subject) => subject.Length <= 60 ? subject : subject[..60];

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated a certificate of {App}: new key {KeyId}, thumbprint {Thumbprint}")]
    private static partial void LogRotated(ILogger logger, string app, string keyId, string thumbprint);
}
