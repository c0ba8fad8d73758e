using CredentialBot.BotFramework.Cards;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Conversation;

/// <summary>The commands the bot answers, built from the command table so it can never drift from it.</summary>
public static class HelpCard
{
    public static AdaptiveCard Build(IReadOnlyList<CommandInfo> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return CardParts.Card(
            [
                CardParts.Heading("What I can do"),
                CardParts.Text("I watch the secrets and certificates of your Entra app registrations and tell the people accountable before they expire."),
                CardParts.Facts([.. commands.Select(c => (CardText.Literal(c.Usage), c.Description))]),
                CardParts.Text("From an app's status card, its owners can rotate a secret or a certificate: Key Vault makes the new certificate (the private key stays in the vault) or you paste the public certificate (.cer/.crt/.pem contents, never a private key). The old one is removed after the grace period unless you keep it."),
                CardParts.Text("Rotation receipts: I tell you when the new credential is first used. If the old one was still used when its removal is due, it waits and I ask you: remove it anyway, or keep it a few more days."),
                CardParts.Text("Hands-free rotation: where an app's policy says so, I rotate its expiring secret into the app's allowed Key Vault myself, or have that vault renew a certificate it made (its private key stays there), tell its owners (never the value), remove the old one only after the new one is used, and tell the owners if it is not."),
                CardParts.Subtle("In group chats and channels, @mention me before the command."),
            ],
            [CardParts.Command("My apps", CommandNames.MyApps)]);
    }
}
