using System.Globalization;
using CredentialBot.Actions;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Cards;
using CredentialBot.Domain;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Dialogs;

/// <summary>
/// "Rotate now": a dialog with the secret to replace, a description, a lifetime within the policy (and the tenant's
/// app-management limit) and how long to keep the old secret. Submitting calls Graph addPassword; the value is
/// answered once in the dialog to the requester and nowhere else. The old secret's removal is scheduled for the
/// janitor, the App's snapshot is refreshed, and the card the dialog came from is redrawn for everyone.
/// </summary>
public sealed partial class RotateDialog(
    AppCatalog catalog,
    PolicyStore policies,
    AccessControl access,
    ITenantAdministration administration,
    AppRefresher refresher,
    SecretRemovalStore removals,
    KeyVaultDelivery keyVault,
    TimeProvider time,
    ILogger<RotateDialog> logger) : IDialog
{
    public string Name => DialogNames.Rotate;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        if (await catalog.GetAsync(request.Data.App, cancellationToken).ConfigureAwait(false) is not { } app)
        {
            return DialogAnswer.Close("That app is no longer in the catalog.");
        }

        Credential? credential = null;
        if (request.Data.Subject is { Length: > 0 } key && (credential = app.Credentials.FirstOrDefault(c => c.KeyId == key)) is null)
        {
            await access.RefusedAsync(who, app.ObjectId, AuditOperations.RotateSecret, "A credential that is not this app's", null, cancellationToken).ConfigureAwait(false);
            return Show("Not this app's credential", ActionCards.Notice("Not this app's credential", $"That credential does not belong to {CardText.Literal(app.DisplayName)} (it may have been removed since the card was sent). Nothing was changed.", Urgency.Critical));
        }

        if (credential is { Kind: CredentialKind.Certificate })
        {
            return Show("Certificate", ActionCards.CertificateElsewhere(app, credential));
        }

        var decision = await access.DecideAsync(who, app, AppRight.ManageCredentials, AuditOperations.RotateSecret, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return Show("You cannot rotate this app's secrets", ActionCards.Notice(
                "You cannot rotate this app's secrets",
                decision.Explanation,
                Urgency.Warning,
                CardParts.SubmitDialog("Request elevation", new DialogData(null, DialogNames.Elevate, app.ObjectId, Mode: nameof(AppRight.ManageCredentials), Open: true))));
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken).ConfigureAwait(false);
        var tenantMaximum = await administration.GetSecretLifetimeLimitAsync(cancellationToken).ConfigureAwait(false);
        return Show("Rotate now", ActionCards.RotateForm(app, policy, RotationRules.LifetimesUnder(policy, tenantMaximum), credential?.KeyId, time.GetUtcNow(), SubmitData(app, request)));
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        if (await catalog.GetAsync(request.Data.App, cancellationToken).ConfigureAwait(false) is not { } app)
        {
            return DialogAnswer.Close("That app is no longer in the catalog; nothing was changed.");
        }

        var decision = await access.DecideAsync(who, app, AppRight.ManageCredentials, AuditOperations.RotateSecret, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return Show("You cannot rotate this app's secrets", ActionCards.Notice("You cannot rotate this app's secrets", decision.Explanation + " Nothing was changed.", Urgency.Critical));
        }

        var replacing = request.Input("replace") is { Length: > 0 } replaceKey ? app.Credentials.FirstOrDefault(c => c.KeyId == replaceKey) : null;
        if (request.Input("replace") is { Length: > 0 } && replacing is not { Kind: CredentialKind.Secret })
        {
            await access.RefusedAsync(who, app.ObjectId, AuditOperations.RotateSecret, "A credential that is not one of this app's secrets", null, cancellationToken).ConfigureAwait(false);
            return Show("Not this app's secret", ActionCards.Notice("Not this app's secret", $"The secret to replace is not one of {CardText.Literal(app.DisplayName)}'s secrets. Nothing was changed.", Urgency.Critical));
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken).ConfigureAwait(false);
        var tenantMaximum = await administration.GetSecretLifetimeLimitAsync(cancellationToken).ConfigureAwait(false);
        var lifetimeDays = int.TryParse(request.Input("lifetime"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        var graceDays = int.TryParse(request.Input("grace"), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : -1;
        var description = request.Input("description");
        var problems = RotationRules.Problems(policy, tenantMaximum, lifetimeDays, graceDays, description);
        if (problems.Count > 0)
        {
            await access.RefusedAsync(who, app.ObjectId, AuditOperations.RotateSecret, string.Join(" ", problems), null, cancellationToken).ConfigureAwait(false);
            return Show("Rotate now", ActionCards.RotateForm(app, policy, RotationRules.LifetimesUnder(policy, tenantMaximum), replacing?.KeyId, time.GetUtcNow(), SubmitData(app, request), problems));
        }

        var (vault, vaultRefusal) = keyVault.VaultFor(app);
        if (vaultRefusal is not null)
        {
            await access.RefusedAsync(who, app.ObjectId, AuditOperations.RotateSecret, vaultRefusal, null, cancellationToken).ConfigureAwait(false);
            return Show("Key Vault not allowed", ActionCards.Notice("Key Vault not allowed", CardText.Literal(vaultRefusal, 400), Urgency.Critical));
        }

        var now = time.GetUtcNow();
        var name = string.IsNullOrWhiteSpace(description) ? $"Rotated by CredentialBot {CardText.Date(now)}" : description;
        NewSecret secret;
        try
        {
            secret = await administration.AddSecretAsync(app.Kind, app.ObjectId, name, now.AddDays(lifetimeDays), cancellationToken).ConfigureAwait(false);
        }
        catch (ODataError error)
        {
            var reason = $"Entra refused the new secret: {error.Error?.Message ?? error.Message}";
            await access.AuditAsync(who, app.ObjectId, AuditOperations.RotateSecret, "Failed", reason, null, cancellationToken).ConfigureAwait(false);
            return Show("The secret was not created", ActionCards.Notice("The secret was not created", CardText.Literal(reason, 400), Urgency.Critical));
        }

        VaultReference? stored = null;
        string? vaultFailure = null;
        if (vault is not null)
        {
            try
            {
                stored = await keyVault.StoreAsync(vault, app, secret, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever failed, the secret now exists in Entra: losing its only copy would be worse than showing it once.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                vaultFailure = $"Key Vault {vault.Host} did not take the secret ({(ex as Azure.RequestFailedException)?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ex.GetType().Name}).";
                LogVaultFailed(logger, app.ObjectId, ex);
            }
        }

        SecretRemoval? removal = null;
        if (replacing is not null)
        {
            var dueAt = now.AddDays(graceDays);
            await removals.ScheduleAsync(app.ObjectId, app.Kind, replacing.KeyId, replacing.DisplayName, dueAt, who.ObjectId, who.DisplayName, cancellationToken).ConfigureAwait(false);
            removal = (await removals.ScheduledForAsync(app.ObjectId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.KeyId == replacing.KeyId);
        }

        await access.AuditAsync(
            who,
            app.ObjectId,
            AuditOperations.RotateSecret,
            "Succeeded",
            $"New secret {secret.KeyId} valid until {CardText.Date(secret.EndsAt)}"
                + (stored is null ? string.Empty : $"; stored in Key Vault as {stored.SecretId.GetLeftPart(UriPartial.Path)}")
                + (vaultFailure is null ? string.Empty : $"; {vaultFailure} Shown once instead")
                + (replacing is null ? string.Empty : $"; replaces {replacing.DisplayName ?? replacing.KeyId} ({replacing.KeyId}), removed on {CardText.Date(now.AddDays(graceDays))}"),
            null,
            cancellationToken).ConfigureAwait(false);
        LogRotated(logger, app.ObjectId, secret.KeyId);

        var refreshed = await refresher.RefreshAsync(app.Kind, app.ObjectId, cancellationToken).ConfigureAwait(false) ?? app;
        // Redraw the card the dialog came from for everyone, unless this very answer replaces it (an inline dialog
        // submitted from that card): the answer, with the secret, must be what the requester sees there.
        if (request.OriginCard is { } origin
            && !(request.Turn.Activity.Name == BotFramework.Invokes.InvokeNames.AdaptiveCardAction && request.Turn.Activity.ReplyToId == origin))
        {
            var banner = $"Rotated by {who.DisplayName ?? "an owner"} at {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC" + (removal is null ? "." : $"; the old secret is removed on {CardText.Date(removal.DueAt)}.");
            var card = StatusCard.Build(refreshed, policy, PolicyEvaluator.Evaluate(refreshed, policy, now), now, banner: CardText.Literal(banner, 300), removals: await removals.ScheduledForAsync(app.ObjectId, cancellationToken).ConfigureAwait(false));
            var update = request.Turn.Activity.CreateReply(attachments: [Attachment.ForCard(card)]);
            await request.Turn.UpdateActivityAsync(origin, update with { Id = origin }, cancellationToken).ConfigureAwait(false);
        }

        return stored is not null
            ? Show("New secret", ActionCards.NewSecretInVault(refreshed, secret.KeyId, secret.EndsAt, stored, removal))
            : Show("New secret", ActionCards.NewSecret(refreshed, secret, removal, vaultFailure));
    }

    private static DialogData SubmitData(App app, DialogRequest request) => new(null, DialogNames.Rotate, app.ObjectId, Card: request.OriginCard);

    private static DialogAnswer Show(string title, BotFramework.Cards.AdaptiveCard card) => DialogAnswer.Show(title, card);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store the new secret of {App} in Key Vault; it is shown once instead")]
    private static partial void LogVaultFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotated a secret of {App}: new key {KeyId}")]
    private static partial void LogRotated(ILogger logger, string app, string keyId);
}
