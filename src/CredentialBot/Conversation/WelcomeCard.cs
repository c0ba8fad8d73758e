using CredentialBot.BotFramework.Cards;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Conversation;

/// <summary>The greeting sent once when the bot is installed in, or added to, a conversation.</summary>
public static class WelcomeCard
{
    public static AdaptiveCard Build(string? personName, bool personalChat)
    {
        var greeting = string.IsNullOrWhiteSpace(personName) ? "Hi! I'm CredentialBot." : $"Hi {CardText.Literal(personName, 60)}! I'm CredentialBot.";
        var how = personalChat
            ? $"Type **{CommandNames.MyApps}** to see the apps you own and their nearest expiry, or **{CommandNames.Status}** *app name or appId* for one app."
            : $"@mention me with a command, for example **{CommandNames.Status}** *app name or appId*.";
        return CardParts.Card(
            [
                CardParts.Heading(greeting),
                CardParts.Text("I keep an eye on the client secrets and certificates of your Entra ID apps and warn the people accountable before they expire, so nothing breaks in production."),
                CardParts.Text(how),
            ],
            personalChat ? [CardParts.Command("My apps", CommandNames.MyApps), CardParts.Command("Help", CommandNames.Help)] : [CardParts.Command("Help", CommandNames.Help)]);
    }
}
