using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Conversation;

/// <summary>
/// <c>conversationUpdate</c>: when the bot itself is among the members added, remember and greet; when people join or
/// leave a team the bot is in, look there for people who could not be reached.
/// </summary>
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
        else if (activity.ChannelData?.Team?.Id is { Length: > 0 } && (activity.MembersAdded is { Count: > 0 } || activity.MembersRemoved is { Count: > 0 }))
        {
            await events.TeamRosterChangedAsync(turn, cancellationToken);
        }
    }
}
