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

namespace CredentialBot.Rotation;

/// <summary>
/// "Rotate now": a dialog with the secret to replace, a description, a lifetime within the policy (and the tenant's
/// app-management limit) and how long to keep the old secret. Submitting checks everything, then
/// <see cref="SecretRotation"/> acts; the value is answered once in the dialog to the requester and nowhere else, and
/// the card the dialog came from is redrawn for everyone.
/// </summary>
public sealed class RotateDialog(
    PolicyStore policies,
    AccessControl access,
    AuditTrail audit,
    ITenantAdministration administration,
    KeyVaultDelivery keyVault,
    SecretRotation rotation,
    StatusCards statusCards,
    TimeProvider time) : IDialog
{
    public static string Name => DialogNames.Rotate;

    public static bool ActsOnAnApp => true;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var app = request.App;
        Credential? credential = null;
        if (request.Data.Subject is { Length: > 0 } keyId && (credential = app.Credentials.FirstOrDefault(c => c.KeyId == keyId)) is null)
        {
            await audit.RefusedAsync(request.Who, app.ObjectId, AuditOperation.RotateSecret, "A credential that is not this app's", cancellationToken);
            return Show("Not this app's credential", $"That credential does not belong to {CardText.Literal(app.DisplayName)} (it may have been removed since the card was sent). Nothing was changed.");
        }

        if (credential is { Kind: CredentialKind.Certificate })
        {
            return DialogAnswer.Show("Certificate", RotationCards.CertificateElsewhere(app, credential));
        }

        var decision = await access.DecideAsync(request.Who, app, AppRight.ManageCredentials, AuditOperation.RotateSecret, cancellationToken);
        if (!decision.Allowed)
        {
            return DialogAnswer.Show("You cannot rotate this app's secrets", NoticeCard.Build(
                "You cannot rotate this app's secrets",
                decision.Explanation,
                Urgency.Warning,
                CardParts.SubmitDialog("Request elevation", new DialogData(null, DialogNames.Elevate, app.ObjectId, Mode: nameof(AppRight.ManageCredentials), Open: true))));
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        var tenantMaximum = await administration.GetSecretLifetimeLimitAsync(cancellationToken);
        return DialogAnswer.Show("Rotate now", RotationCards.RotateForm(app, policy, RotationRules.LifetimesUnder(policy, tenantMaximum), credential?.KeyId, time.GetUtcNow(), SubmitData(app, request)));
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (who, app) = (request.Who, request.App);
        var decision = await access.DecideAsync(who, app, AppRight.ManageCredentials, AuditOperation.RotateSecret, cancellationToken);
        if (!decision.Allowed)
        {
            return Show("You cannot rotate this app's secrets", decision.Explanation + " Nothing was changed.");
        }

        if (!CredentialToReplace.TryFind(app, request.Input("replace"), CredentialKind.Secret, out var replacing))
        {
            await audit.RefusedAsync(who, app.ObjectId, AuditOperation.RotateSecret, "A credential that is not one of this app's secrets", cancellationToken);
            return Show("Not this app's secret", $"The secret to replace is not one of {CardText.Literal(app.DisplayName)}'s secrets. Nothing was changed.");
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        var tenantMaximum = await administration.GetSecretLifetimeLimitAsync(cancellationToken);
        var lifetimeDays = int.TryParse(request.Input("lifetime"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        var graceDays = int.TryParse(request.Input("grace"), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : -1;
        var description = request.Input("description");
        var problems = RotationRules.Problems(policy, tenantMaximum, lifetimeDays, graceDays, description);
        if (problems.Count > 0)
        {
            await audit.RefusedAsync(who, app.ObjectId, AuditOperation.RotateSecret, string.Join(" ", problems), cancellationToken);
            return DialogAnswer.Show("Rotate now", RotationCards.RotateForm(app, policy, RotationRules.LifetimesUnder(policy, tenantMaximum), replacing?.KeyId, time.GetUtcNow(), SubmitData(app, request), problems));
        }

        var (vault, vaultRefusal) = keyVault.VaultFor(app);
        if (vaultRefusal is not null)
        {
            await audit.RefusedAsync(who, app.ObjectId, AuditOperation.RotateSecret, vaultRefusal, cancellationToken);
            return Show("Key Vault not allowed", CardText.Literal(vaultRefusal, 400));
        }

        // One-shot: a second press of this form (double click, retry) never reaches Entra for a second secret.
        if (await audit.ConfirmBeforeCallingOutAsync(who, app.ObjectId, AuditOperation.RotateSecret, request.Data.Confirm, "Creating a new secret", cancellationToken) is { } again)
        {
            return Show("Already rotated", again);
        }

        var now = time.GetUtcNow();
        var name = string.IsNullOrWhiteSpace(description) ? $"Rotated by CredentialBot {CardText.Date(now)}" : description;
        var (rotated, failure) = await rotation.RotateAsync(new RotationRequest(app, name, lifetimeDays, replacing, graceDays, vault, RotationCard.Of(request)), who, cancellationToken);
        if (rotated is null)
        {
            return Show("The secret was not created", CardText.Literal(failure, 400));
        }

        // Redraw the card the dialog came from for everyone, unless this very answer replaces it (an inline dialog
        // submitted from that card): the answer, with the secret, must be what the requester sees there.
        if (request.OriginCard is { } origin && !request.AnswersInOriginCard)
        {
            var banner = $"Rotated by {who.DisplayName ?? "an owner"} at {CardText.DateTime(now)}" + (rotated.Removal is null ? "." : $"; the old secret is removed on {CardText.Date(rotated.Removal.DueAt)}.");
            var card = await statusCards.ForEveryoneAsync(rotated.App, CardText.Literal(banner, 300), cancellationToken);
            var update = request.Turn.Activity.CreateReply(attachments: [Attachment.ForCard(card)]);
            await request.Turn.UpdateActivityAsync(origin, update with { Id = origin }, cancellationToken);
        }

        return rotated.StoredIn is { } stored
            ? DialogAnswer.Show("New secret", RotationCards.NewSecretInVault(rotated.App, rotated.Secret.KeyId, rotated.Secret.EndsAt, stored, rotated.Removal))
            : DialogAnswer.Show("New secret", RotationCards.NewSecret(rotated.App, rotated.Secret, rotated.Removal, rotated.VaultFailure));
    }

    /// <summary>A dialog page that explains a refusal or a failure: nothing was changed.</summary>
    private static DialogAnswer Show(string title, string text) => DialogAnswer.Show(title, NoticeCard.Build(title, text, Urgency.Critical));

    private static DialogData SubmitData(App app, DialogRequest request) =>
        new(null, DialogNames.Rotate, app.ObjectId, Card: request.OriginCard, Confirm: request.Data.Confirm ?? CardParts.NewConfirmId());
}
