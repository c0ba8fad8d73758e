using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Commands;

namespace CredentialBot.Handlers;

/// <summary>
/// Typed commands in personal chat, and in group chats and channels when the bot is @mentioned (Teams only
/// delivers those). The bot's own mention is stripped before the command table is consulted.
/// </summary>
public sealed partial class MessageHandler(ILogger<MessageHandler> logger) : IActivityHandler
{
    public RouteKey Key => RouteKey.ForActivity(ActivityTypes.Message);

    public async Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        var text = activity.GetCommandText();
        if (string.IsNullOrWhiteSpace(text))
        {
            // A card submit without text: no card of this version posts one, so there is nothing to answer.
            return InvokeResponse.Ok();
        }

        var table = turn.Services.GetRequiredService<CommandTable>();
        CommandReply reply;
        if (table.TryResolve(text, out var command, out var arguments) && command is not null)
        {
            LogCommand(logger, command.Name, activity.Conversation?.ConversationType);
            var actor = ActorOf(activity);
            reply = await command.ExecuteAsync(new CommandRequest(arguments, actor, activity.Conversation?.ConversationType), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            reply = CommandReply.WithText($"Sorry, I don't know that command. Type **{CommandNames.Help}** to see what I can do.");
        }

        var outgoing = reply.Card is null
            ? activity.CreateReply(reply.Text)
            : activity.CreateReply(attachments: [Attachment.ForCard(reply.Card)]);
        await turn.SendActivityAsync(outgoing, cancellationToken).ConfigureAwait(false);
        return InvokeResponse.Ok();
    }

    /// <summary>The actor comes only from the authenticated activity's <c>from</c>.</summary>
    internal static Actor ActorOf(Activity activity) =>
        new(activity.From?.AadObjectId, activity.From?.Name, activity.From?.Id ?? string.Empty);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command '{Command}' in a {ConversationType} conversation")]
    private static partial void LogCommand(ILogger logger, string command, string? conversationType);
}
