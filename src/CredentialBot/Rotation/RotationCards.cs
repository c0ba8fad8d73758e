using System.Globalization;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation;

/// <summary>Cards of "Rotate now": the form, the new secret (shown once), its Key Vault reference, and why certificates are not rotated here.</summary>
public static class RotationCards
{
    public static AdaptiveCard RotateForm(App app, Policy policy, IReadOnlyList<int> lifetimes, string? replacing, DateTimeOffset now, DialogData submit, IReadOnlyList<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        var secrets = app.Credentials.Where(c => c.Kind == CredentialKind.Secret).OrderBy(c => c.EndsAt).ToList();
        var graceDays = (int)policy.RotationGracePeriod.TotalDays;
        var body = new List<CardElement>
        {
            CardParts.Heading($"Rotate a secret of {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text($"A new client secret is created in Entra. Its value is shown once, here, to you only. Policy {CardText.Literal(policy.Name)} allows at most {policy.MaximumSecretLifetime.TotalDays:0} days."),
        };
        body.AddRange(CardParts.Problems(problems));
        body.Add(new InputChoiceSet
        {
            Id = "replace",
            Label = "Secret to replace",
            Style = "compact",
            Value = replacing ?? secrets.FirstOrDefault()?.KeyId ?? string.Empty,
            Choices = [.. secrets.Select(c => new Choice($"{CardText.Literal(c.DisplayName ?? c.KeyId, 60)} ({CardText.DaysLeft(c, now)})", c.KeyId)), new Choice("None: keep every existing secret", string.Empty)],
        });
        body.Add(new InputText { Id = "description", Label = "Description of the new secret", MaxLength = RotationRules.MaxDescriptionLength, Value = $"Rotated by CredentialBot {CardText.Date(now)}" });
        body.Add(new InputChoiceSet
        {
            Id = "lifetime",
            Label = "Valid for",
            Style = "compact",
            IsRequired = true,
            ErrorMessage = "Choose how long the new secret is valid.",
            Value = lifetimes.Max().ToString(CultureInfo.InvariantCulture),
            Choices = [.. lifetimes.Select(d => new Choice(CardText.Count(d, "day"), d.ToString(CultureInfo.InvariantCulture)))],
        });
        body.Add(new InputChoiceSet
        {
            Id = "grace",
            Label = "Keep the replaced secret for",
            Style = "compact",
            Value = graceDays.ToString(CultureInfo.InvariantCulture),
            Choices = [.. RotationRules.GraceChoicesDays.Select(d => new Choice(d == 0 ? "Remove it now" : CardText.Count(d, "day"), d.ToString(CultureInfo.InvariantCulture)))],
        });
        return CardParts.Card(body, [CardParts.SubmitDialog("Create the new secret", submit, "positive")]);
    }

    /// <summary>The only place a secret value ever appears: the requester's dialog, once.</summary>
    public static AdaptiveCard NewSecret(App app, NewSecret secret, SecretRemoval? removal, string? vaultFailure = null) =>
        CardParts.Card(
        [
            CardParts.Heading($"New secret for {CardText.Literal(app.DisplayName, 80)}"),
            .. vaultFailure is null ? Array.Empty<CardElement>() : [CardParts.Text(CardText.Literal(vaultFailure, 300), Urgency.Critical)],
            CardParts.Text("Copy the value now and store it where the app reads it (for example Key Vault). It is shown only this once: CredentialBot does not keep it.", Urgency.Warning),
            new InputText { Id = "secretValue", Label = "Secret value", Value = secret.Value },
            CardParts.Facts(
                ("Key ID", CardText.Literal(secret.KeyId)),
                ("Expires", CardText.Date(secret.EndsAt)),
                ("Replaces", removal is null ? "nothing: every existing secret stays" : $"{CardText.Literal(removal.CredentialName ?? removal.KeyId, 60)}, removed on {CardText.Date(removal.DueAt)}")),
        ]);

    /// <summary>A secret written to Key Vault: the reference, never the value.</summary>
    public static AdaptiveCard NewSecretInVault(App app, string keyId, DateTimeOffset endsAt, VaultReference stored, SecretRemoval? removal) =>
        CardParts.Card(
        [
            CardParts.Heading($"New secret for {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text("The new value went straight to Key Vault; CredentialBot never showed or kept it. Point the app at the new version.", Urgency.Healthy),
            CardParts.Facts(
                ("Key Vault secret", CardText.Literal(stored.SecretId.ToString(), 300)),
                ("Key ID", CardText.Literal(keyId)),
                ("Expires", CardText.Date(endsAt)),
                ("Replaces", removal is null ? "nothing: every existing secret stays" : $"{CardText.Literal(removal.CredentialName ?? removal.KeyId, 60)}, removed on {CardText.Date(removal.DueAt)}")),
        ]);

    public static AdaptiveCard CertificateElsewhere(App app, Credential certificate) =>
        CardParts.Card(
        [
            CardParts.Heading($"Certificate of {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Facts(("Certificate", CardText.Literal(certificate.DisplayName ?? certificate.KeyId)), ("Expires", CardText.Date(certificate.EndsAt))),
            CardParts.Text("Rotate it here: Key Vault makes the new certificate (for an app tagged with an allowed vault), or you paste the new public certificate your certificate authority issued. The old one is removed after the grace period."),
        ],
        [
            CardParts.SubmitDialog("Rotate this certificate", new DialogData(null, DialogNames.RotateCertificate, app.ObjectId, certificate.KeyId, Open: true), "positive"),
            CardParts.OpenUrl("Open the app's certificates in Entra", CardText.EntraPortalLink(app)),
        ]);
}
