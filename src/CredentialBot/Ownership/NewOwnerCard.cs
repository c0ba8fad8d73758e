using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Ownership;

/// <summary>
/// The one card a person gets when made an owner: which app, what that kind of owner is accountable for here, what
/// they may do, and the buttons to do it.
/// </summary>
public static class NewOwnerCard
{
    public static AdaptiveCard Build(App app, OwnerKind kind, bool manageCredentials, string? byName, string how)
    {
        ArgumentNullException.ThrowIfNull(app);
        var mayRotate = kind == OwnerKind.Entra || (kind == OwnerKind.Technical && manageCredentials);
        var (accountable, may) = kind switch
        {
            OwnerKind.Entra => (
                "You own the app in Entra: its secrets, certificates and owners. Expiry notices come to you when it has no technical or business owner.",
                "You may rotate its secrets and certificates here, add owners and transfer your ownership."),
            OwnerKind.Technical => (
                "You keep its credentials from expiring: expiry notices come to you first, from the policy's first stage.",
                manageCredentials
                    ? "You may rotate its secrets and certificates here, add owners and transfer your ownership."
                    : "You may add owners and transfer your ownership; to rotate its credentials, request elevation (an Entra owner or an admin approves)."),
            _ => (
                "You answer for the app: you hear when a credential reaches its last stage or expires, and when an owner leaves.",
                "You may add owners, transfer your ownership and request elevation to rotate its credentials."),
        };
        List<CardAction> actions =
        [
            mayRotate
                ? CardParts.OpenDialog("Rotate now", DialogNames.Rotate, app.ObjectId, app.Credentials.Where(c => c.Kind == CredentialKind.Secret).MinBy(c => c.EndsAt)?.KeyId)
                : CardParts.OpenDialog("Request elevation", DialogNames.Elevate, app.ObjectId),
            CardParts.OpenDialog("Transfer my ownership", DialogNames.Owner, app.ObjectId, mode: OwnerModes.Transfer),
            CardParts.Command("Status", $"{CommandNames.Status} {app.AppId}"),
            CardParts.OpenUrl("Open in Entra", CardText.EntraPortalLink(app)),
        ];
        return CardParts.Card(
            [
                CardParts.Heading($"You are now {Article(kind)} {CardText.OwnerKindInSentence(kind)} of {CardText.Literal(app.DisplayName, 80)}"),
                CardParts.Subtle($"{CardText.Literal(how, 80)}{(byName is null ? string.Empty : $" by {CardText.Literal(byName, 60)}")}."),
                CardParts.Facts(
                    ("App", CardText.Literal(app.DisplayName, 80)),
                    ("App ID", CardText.Literal(app.AppId)),
                    ("Credentials", app.Credentials.Count == 0 ? "none" : $"{app.Credentials.Count}, the next expiring on {CardText.Date(app.Credentials.Min(c => c.EndsAt))}")),
                CardParts.Text("**What you are accountable for.** " + accountable),
                CardParts.Text("**What you may do.** " + may),
            ],
            actions);
    }

    private static string Article(OwnerKind kind) => kind == OwnerKind.Entra ? "an" : "a";
}
