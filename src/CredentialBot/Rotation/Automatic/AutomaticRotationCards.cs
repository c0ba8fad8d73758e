using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation.Automatic;

/// <summary>
/// What the owners (or admins) hear of a hands-free rotation: that it happened and where the value went (a certificate:
/// which vault made it, its thumbprint and expiry), that it was refused and why, or that the new credential was not used
/// in time. Never a value: the bot no longer has it (and never had a certificate's private key).
/// </summary>
public static class AutomaticRotationCards
{
    /// <summary>The owners' card: the bot rotated a secret of their App into its vault.</summary>
    public static AdaptiveCard Rotated(App app, AutomaticRotationEntry rotation, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(policy);
        var window = policy.AutomaticRotation?.UseWindowDays;
        if (rotation.Kind == CredentialKind.Certificate)
        {
            return CardParts.Card(
            [
                CardParts.Heading($"Rotated automatically: {CardText.Literal(app.DisplayName, 80)}"),
                CardParts.Text($"Policy {CardText.Literal(rotation.PolicyName, 80)} renews this app's Key Vault-made certificates before they expire, so CredentialBot did it for you. Key Vault made the new certificate and keeps its private key; only its public key was added to the app.", Urgency.Healthy),
                CardParts.Facts(
                    ("Replaced", $"{CardText.Literal(rotation.OldCredentialName ?? rotation.OldKeyId, 60)} ({rotation.OldKeyId}), expiring {CardText.Date(rotation.OldEndsAt)}"),
                    ("New certificate", $"{rotation.NewKeyId}, valid until {(rotation.NewEndsAt is { } until ? CardText.Date(until) : "?")}"),
                    ("Thumbprint", CardText.Literal(rotation.NewThumbprint ?? "?", 64)),
                    ("Key Vault certificate", CardText.Literal(rotation.VaultSecretId ?? "?", 200)),
                    ("When", rotation.DeliveredAt is { } made ? CardText.DateTime(made) : "?")),
                CardParts.Text($"Make sure whatever uses {CardText.Literal(app.DisplayName, 60)} reads the newest version of its certificate from the vault. The old certificate stays until the new one is first used" + (window is { } allowed ? $"; if that has not happened within {CardText.Count(allowed, "day")}, you will hear again." : ".")),
            ],
            [CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}")]);
        }

        return CardParts.Card(
        [
            CardParts.Heading($"Rotated automatically: {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text($"Policy {CardText.Literal(rotation.PolicyName, 80)} rotates this app's secrets into Key Vault before they expire, so CredentialBot did it for you. The new value went straight to the vault; nobody, not even the bot, can show it here.", Urgency.Healthy),
            CardParts.Facts(
                ("Replaced", $"{CardText.Literal(rotation.OldCredentialName ?? rotation.OldKeyId, 60)} ({rotation.OldKeyId}), expiring {CardText.Date(rotation.OldEndsAt)}"),
                ("New secret", $"{rotation.NewKeyId}, valid until {(rotation.NewEndsAt is { } ends ? CardText.Date(ends) : "?")}"),
                ("Key Vault secret", CardText.Literal(rotation.VaultSecretId ?? "?", 200)),
                ("When", rotation.DeliveredAt is { } at ? CardText.DateTime(at) : "?")),
            CardParts.Text($"Make sure whatever uses {CardText.Literal(app.DisplayName, 60)} reads its secret from the vault. The old secret stays until the new one is first used" + (window is { } days ? $"; if that has not happened within {CardText.Count(days, "day")}, you will hear again." : ".")),
        ],
        [CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}")]);
    }

    /// <summary>
    /// The owners' (or admins') card: the policy asks for a hands-free rotation the bot may not do. <paramref name="forGood"/>:
    /// a certificate the App's vault did not make, which a vault tag cannot fix.
    /// </summary>
    public static AdaptiveCard Refused(App app, AutomaticRotationEntry rotation, string why, bool forGood = false)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(rotation);
        return CardParts.Card(
        [
            CardParts.Heading($"Not rotated automatically: {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text($"Policy {CardText.Literal(rotation.PolicyName, 80)} asks CredentialBot to rotate {CardText.Literal(rotation.OldCredentialName ?? rotation.OldKeyId, 60)} (expiring {CardText.Date(rotation.OldEndsAt)}) into Key Vault, but it did not: {CardText.Literal(why, 300)}", Urgency.Warning),
            CardParts.Text(forGood
                ? "Rotate this certificate yourself before it expires: Rotate certificate on the app's status card, made by Key Vault, and the bot renews the next one on its own. You hear of this once."
                : $"Tag the app `{KeyVaultDelivery.TagPrefix}` followed by the address of a vault in KeyVault:AllowedVaults and the bot rotates it at its next round, or rotate it yourself. You hear of this once."),
        ],
        [CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}")]);
    }

    /// <summary>The owners' (or admins') card: the new secret (or certificate) was not used within the policy's window.</summary>
    public static AdaptiveCard Unused(App app, AutomaticRotationEntry rotation, int windowDays)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(rotation);
        if (rotation.Kind == CredentialKind.Certificate)
        {
            return CardParts.Card(
            [
                CardParts.Heading($"The new certificate is not used: {CardText.Literal(app.DisplayName, 80)}"),
                CardParts.Text($"CredentialBot renewed {CardText.Literal(rotation.OldCredentialName ?? rotation.OldKeyId, 60)} in Key Vault on {(rotation.DeliveredAt is { } renewed ? CardText.Date(renewed) : "?")} (policy {CardText.Literal(rotation.PolicyName, 80)}), and in {CardText.Count(windowDays, "day")} nothing has signed in with the new certificate. Whatever uses this app still presents the old one, which expires on {CardText.Date(rotation.OldEndsAt)}.", Urgency.Critical),
                CardParts.Facts(
                    ("New certificate", rotation.NewKeyId ?? "?"),
                    ("Thumbprint", CardText.Literal(rotation.NewThumbprint ?? "?", 64)),
                    ("Key Vault certificate", CardText.Literal(rotation.VaultSecretId ?? "?", 200))),
                CardParts.Text("Have the app's consumers load the newest version of the vault certificate before the old one expires. The old certificate is kept until the new one is used."),
            ],
            [CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}")]);
        }

        return CardParts.Card(
        [
            CardParts.Heading($"The new secret is not used: {CardText.Literal(app.DisplayName, 80)}"),
            CardParts.Text($"CredentialBot rotated {CardText.Literal(rotation.OldCredentialName ?? rotation.OldKeyId, 60)} into Key Vault on {(rotation.DeliveredAt is { } at ? CardText.Date(at) : "?")} (policy {CardText.Literal(rotation.PolicyName, 80)}), and in {CardText.Count(windowDays, "day")} nothing has signed in with the new secret. Whatever uses this app still reads the old one, which expires on {CardText.Date(rotation.OldEndsAt)}.", Urgency.Critical),
            CardParts.Facts(
                ("New secret", rotation.NewKeyId ?? "?"),
                ("Key Vault secret", CardText.Literal(rotation.VaultSecretId ?? "?", 200))),
            CardParts.Text("Point the app's consumers at the vault secret before the old one expires. The old secret is kept until the new one is used."),
        ],
        [CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}")]);
    }
}
