using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Conversation;

/// <summary><c>installationUpdate</c>: add → remember and greet; remove → forget.</summary>
public sealed class InstallationUpdateRoute(ConversationEvents events) : IActivityHandler
{
    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var action = turn.Activity.Action ?? string.Empty;
        if (action.StartsWith("add", StringComparison.OrdinalIgnoreCase))
        {
            await events.RememberAndGreetAsync(turn, cancellationToken);
        }
        else if (action.StartsWith("remove", StringComparison.OrdinalIgnoreCase))
        {
            await events.ForgetAsync(turn, cancellationToken);
        }
    }
}
