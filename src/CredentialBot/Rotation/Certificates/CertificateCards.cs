using System.Globalization;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation.Certificates;

/// <summary>Cards of "Rotate certificate": the form (Key Vault-made or uploaded) and what was done.</summary>
public static class CertificateCards
{
    public const string MethodVault = "vault";
    public const string MethodUpload = "upload";

    /// <summary>
    /// The form. <paramref name="vault"/> is the App's allowed vault (null: the Key Vault way is explained, not offered);
    /// <paramref name="vaultNote"/> says why not when the App asks for a vault that is not allowed.
    /// </summary>
    public static AdaptiveCard Form(App app, Policy policy, IReadOnlyList<int> validities, string? replacing, Uri? vault, string? vaultNote, DateTimeOffset now, DialogData submit, IReadOnlyList<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        var certificates = app.Credentials.Where(c => c.Kind == CredentialKind.Certificate).OrderBy(c => c.EndsAt).ToList();
        var body = new List<CardElement>
        {
            CardParts.Heading($"Rotate a certificate of {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text($"A new certificate's public key is added to the app in Entra; its other certificates stay. Policy {CardText.Literal(policy.Name)} allows at most {policy.MaximumSecretLifetime.TotalDays:0} days."),
        };
        body.AddRange(CardParts.Problems(problems));
        body.Add(new InputChoiceSet
        {
            Id = "replace",
            Label = "Certificate to replace",
            Style = "compact",
            Value = replacing ?? certificates.FirstOrDefault()?.KeyId ?? string.Empty,
            Choices = [.. certificates.Select(c => new Choice($"{CardText.Literal(c.DisplayName ?? c.KeyId, 60)} ({CardText.DaysLeft(c, now)})", c.KeyId)), new Choice("None: keep every existing certificate", string.Empty)],
        });
        body.Add(new InputChoiceSet
        {
            Id = "method",
            Label = "The new certificate",
            Style = "expanded",
            Value = vault is null ? MethodUpload : MethodVault,
            Choices =
            [
                .. vault is null ? Array.Empty<Choice>() : [new Choice($"Made by Key Vault {CardText.Literal(vault.Host, 80)} (the private key never leaves it)", MethodVault)],
                new Choice("Uploaded: I paste its public certificate below", MethodUpload),
            ],
        });
        if (vault is not null)
        {
            body.Add(CardParts.Section("Made by Key Vault"));
            // Not "subject": that is the dialog data's own field (the credential to replace), which an input would overwrite.
            body.Add(new InputText { Id = "certificateSubject", Label = "Subject", MaxLength = 200, Value = DefaultSubject(app) });
            body.Add(new InputChoiceSet
            {
                Id = "keySize",
                Label = "RSA key size",
                Style = "compact",
                Value = "2048",
                Choices = [.. NewCertificatePolicy.KeySizes.Select(s => new Choice($"{s} bits", s.ToString(CultureInfo.InvariantCulture)))],
            });
            body.Add(new InputChoiceSet
            {
                Id = "validity",
                Label = "Valid for",
                Style = "compact",
                Value = validities.Max().ToString(CultureInfo.InvariantCulture),
                Choices = [.. validities.Select(m => new Choice($"{m} months", m.ToString(CultureInfo.InvariantCulture)))],
            });
        }
        else
        {
            body.Add(CardParts.Subtle(vaultNote is null
                ? $"To have Key Vault make the certificate, tag the app {KeyVault.KeyVaultDelivery.TagPrefix}<vault address> with a vault in KeyVault:AllowedVaults."
                : CardText.Literal(vaultNote, 300)));
        }

        body.Add(CardParts.Section("Uploaded"));
        body.Add(new InputText
        {
            Id = "certificate",
            Label = "Public certificate (PEM: -----BEGIN CERTIFICATE----- …). Never paste a private key.",
            IsMultiline = true,
            Placeholder = "-----BEGIN CERTIFICATE-----",
        });
        body.Add(new InputChoiceSet
        {
            Id = "grace",
            Label = "Keep the replaced certificate for",
            Style = "compact",
            Value = ((int)policy.RotationGracePeriod.TotalDays).ToString(CultureInfo.InvariantCulture),
            Choices = [.. RotationRules.GraceChoicesDays.Select(d => new Choice(d == 0 ? "Remove it now" : $"{d} days", d.ToString(CultureInfo.InvariantCulture)))],
        });
        return CardParts.Card(body, [CardParts.SubmitDialog("Rotate the certificate", submit, "positive")]);
    }

    /// <summary>What was done: public facts only (a certificate has no secret to show).</summary>
    public static AdaptiveCard Rotated(CertificateRotationOutcome outcome, string source)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var (app, certificate, removal) = (outcome.App, outcome.Certificate, outcome.Removal);
        return CardParts.Card(
        [
            CardParts.Heading($"New certificate for {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text($"Its public key was added to the app in Entra; {CardText.Literal(source, 300)}.", Urgency.Healthy),
            CardParts.Facts(
                ("Subject", CardText.Literal(certificate.Subject, 200)),
                ("Thumbprint", CardText.Literal(certificate.Thumbprint)),
                ("Key ID", CardText.Literal(outcome.Added.KeyId)),
                ("Valid", $"{CardText.Date(certificate.NotBefore)} to {CardText.Date(certificate.NotAfter)}"),
                ("Replaces", Replaces(removal))),
        ]);
    }

    /// <summary>A subject Key Vault takes for the App: CN= and its name in letters, digits, dots and dashes.</summary>
    public static string DefaultSubject(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var name = new string([.. app.DisplayName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? char.ToLowerInvariant(c) : '-')]).Trim('-');
        return "CN=" + (name.Length == 0 ? app.AppId : name[..Math.Min(name.Length, 64)]);
    }

    private static string Replaces(SecretRemoval? removal) =>
        removal is null ? "nothing: every existing certificate stays" : $"{CardText.Literal(removal.CredentialName ?? removal.KeyId, 60)}, removed on {CardText.Date(removal.DueAt)}";
}
