using System.Globalization;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Domain;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Status;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation.Certificates;

/// <summary>
/// "Rotate certificate", for the people who may rotate the App's secrets: a new certificate made by the App's allowed
/// Key Vault (the private key is created there, not exportable, and never reaches the bot) or a public certificate the
/// owner pastes, checked against the policy and the tenant's limits; its public key is added to the App, the replaced
/// certificate is removed after the grace period (Keep and the janitor as for secrets), and every step is audited.
/// </summary>
public sealed class CertificateDialog(
    PolicyStore policies,
    AccessControl access,
    AuditTrail audit,
    KeyVaultDelivery keyVault,
    CertificateRotation rotation,
    StatusCards statusCards,
    TimeProvider time) : IDialog
{
    public static string Name => DialogNames.RotateCertificate;

    public static bool ActsOnAnApp => true;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var app = request.App;
        if (request.Data.Subject is { Length: > 0 } keyId && !app.Credentials.Any(c => c.KeyId == keyId && c.Kind == CredentialKind.Certificate))
        {
            await audit.RefusedAsync(request.Who, app.ObjectId, AuditOperation.RotateCertificate, "A credential that is not one of this app's certificates", cancellationToken);
            return Show("Not this app's certificate", $"That is not one of {CardText.Literal(app.DisplayName)}'s certificates (it may have been removed since the card was sent). Nothing was changed.");
        }

        var decision = await access.DecideAsync(request.Who, app, AppRight.ManageCredentials, AuditOperation.RotateCertificate, cancellationToken);
        if (!decision.Allowed)
        {
            return DialogAnswer.Show("You cannot rotate this app's certificates", NoticeCard.Build(
                "You cannot rotate this app's certificates",
                decision.Explanation,
                Urgency.Warning,
                CardParts.SubmitDialog("Request elevation", new DialogData(null, DialogNames.Elevate, app.ObjectId, Mode: nameof(AppRight.ManageCredentials), Open: true))));
        }

        return DialogAnswer.Show("Rotate certificate", await FormAsync(request, request.Data.Subject, null, cancellationToken));
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (who, app) = (request.Who, request.App);
        var decision = await access.DecideAsync(who, app, AppRight.ManageCredentials, AuditOperation.RotateCertificate, cancellationToken);
        if (!decision.Allowed)
        {
            return Show("You cannot rotate this app's certificates", decision.Explanation + " Nothing was changed.");
        }

        if (!CredentialToReplace.TryFind(app, request.Input("replace"), CredentialKind.Certificate, out var replacing))
        {
            await audit.RefusedAsync(who, app.ObjectId, AuditOperation.RotateCertificate, "A credential that is not one of this app's certificates", cancellationToken);
            return Show("Not this app's certificate", $"The certificate to replace is not one of {CardText.Literal(app.DisplayName)}'s certificates. Nothing was changed.");
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        var tenantMaximum = await rotation.TenantMaximumAsync(app, cancellationToken);
        var graceDays = Number(request.Input("grace"), -1);
        var now = time.GetUtcNow();
        PublicCertificate certificate;
        string source;
        if (request.Input("method") == CertificateCards.MethodVault)
        {
            var (vault, vaultRefusal) = keyVault.VaultFor(app);
            if (vault is null)
            {
                var reason = vaultRefusal ?? $"{app.DisplayName} has no Key Vault: Key Vault-made certificates need the tag {KeyVaultDelivery.TagPrefix}<vault> naming a vault in KeyVault:AllowedVaults. Upload a public certificate instead, or ask an admin.";
                await audit.RefusedAsync(who, app.ObjectId, AuditOperation.RotateCertificate, reason, cancellationToken);
                return Show("Key Vault not allowed", CardText.Literal(reason, 400));
            }

            var wanted = new NewCertificatePolicy(request.Input("certificateSubject") ?? string.Empty, Number(request.Input("keySize"), 0), Number(request.Input("validity"), 0));
            if (await RefuseAsync(request, replacing, CertificateRules.VaultProblems(wanted, policy, tenantMaximum, graceDays, now), cancellationToken) is { } refused)
            {
                return refused;
            }

            var (issued, failure) = await rotation.MakeInVaultAsync(vault, app, wanted, null, cancellationToken);
            if (issued is null)
            {
                await audit.RecordAsync(who, app.ObjectId, AuditOperation.RotateCertificate, AuditOutcome.Failed, failure!, cancellationToken);
                return Show("Key Vault did not make the certificate", CardText.Literal(failure, 400) + " Nothing was changed.");
            }

            var name = CertificateRotation.VaultCertificateName(app);
            (certificate, source) = (issued, $"made by Key Vault {vault.Host} as certificate {name}; its private key stays there");
        }
        else
        {
            var upload = CertificateUploads.Read(request.Input("certificate"));
            if (await RefuseAsync(request, replacing, CertificateRules.UploadProblems(upload, policy, tenantMaximum, graceDays, now), cancellationToken) is { } refused)
            {
                return refused;
            }

            (certificate, source) = (upload.Certificate!, "uploaded as a public certificate");
        }

        var (rotated, notAdded) = await rotation.RotateAsync(new CertificateRotationRequest(app, certificate, source, replacing, graceDays, RotationCard.Of(request)), who, cancellationToken);
        if (rotated is null)
        {
            return Show("The certificate was not added", CardText.Literal(notAdded, 400));
        }

        if (request.OriginCard is { } origin && !request.AnswersInOriginCard)
        {
            var banner = $"Certificate rotated by {who.DisplayName ?? "an owner"} at {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC" + (rotated.Removal is null ? "." : $"; the old certificate is removed on {CardText.Date(rotated.Removal.DueAt)}.");
            var card = await statusCards.ForEveryoneAsync(rotated.App, CardText.Literal(banner, 300), cancellationToken);
            var update = request.Turn.Activity.CreateReply(attachments: [Attachment.ForCard(card)]);
            await request.Turn.UpdateActivityAsync(origin, update with { Id = origin }, cancellationToken);
        }

        return DialogAnswer.Show("New certificate", CertificateCards.Rotated(rotated, source));
    }

    /// <summary>The form again with the problems, audited as a refusal; null when there are none.</summary>
    private async Task<DialogAnswer?> RefuseAsync(DialogRequest request, Credential? replacing, IReadOnlyList<string> problems, CancellationToken cancellationToken)
    {
        if (problems.Count == 0)
        {
            return null;
        }

        await audit.RefusedAsync(request.Who, request.App.ObjectId, AuditOperation.RotateCertificate, string.Join(" ", problems), cancellationToken);
        return DialogAnswer.Show("Rotate certificate", await FormAsync(request, replacing?.KeyId, problems, cancellationToken));
    }

    private async Task<BotFramework.Cards.AdaptiveCard> FormAsync(DialogRequest request, string? replacing, IReadOnlyList<string>? problems, CancellationToken cancellationToken)
    {
        var app = request.App;
        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        var now = time.GetUtcNow();
        var (vault, vaultNote) = keyVault.VaultFor(app);
        var validities = CertificateRules.ValiditiesUnder(policy, await rotation.TenantMaximumAsync(app, cancellationToken), now);
        return CertificateCards.Form(app, policy, validities, replacing, vault, vaultNote, now, new DialogData(null, DialogNames.RotateCertificate, app.ObjectId, Card: request.OriginCard), problems);
    }

    private static int Number(string? text, int otherwise) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : otherwise;

    private static DialogAnswer Show(string title, string text) => DialogAnswer.Show(title, NoticeCard.Build(title, text, Urgency.Critical));
}
