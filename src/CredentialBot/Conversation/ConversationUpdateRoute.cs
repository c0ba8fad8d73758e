using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Conversation;

/// <summary><c>conversationUpdate</c>: when the bot itself is among the members added, remember and greet.</summary>
public sealed class ConversationUpdateRoute(ConversationEvents events) : IActivityHandler
{
    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (activity.MembersAdded?.Any(m => string.Equals(m.Id, activity.Recipient?.Id, StringComparison.Ordinal)) == true)
        {
            await events.RememberAndGreetAsync(turn, cancellationToken);
        }
    }
}
