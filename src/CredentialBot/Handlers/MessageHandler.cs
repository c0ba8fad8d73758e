using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Cards;
using CredentialBot.Commands;

namespace CredentialBot.Handlers;

/// <summary>
/// Typed commands in personal chat, and in group chats and channels when the bot is @mentioned (Teams only
/// delivers those). The bot's own mention is stripped before the command table is consulted.
/// </summary>
public sealed partial class MessageHandler(ILogger<MessageHandler> logger) : IActivityHandler
{
    private const int MaxCommandLength = 300;

    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (activity.ReadValue(CardsJsonContext.Default.DialogData) is { } button && button.IsUnopenedDialogButton())
        {
            // The client posted a dialog button instead of opening the dialog: show the dialog in the chat.
            var (answer, error) = await turn.Services.GetRequiredService<Dialogs.DialogTable>().RunAsync(turn, button, submit: false, cancellationToken);
            var inline = answer is null ? activity.CreateReply(error) : activity.CreateReply(attachments: [Attachment.ForCard(answer.ToInlineCard())]);
            await turn.SendActivityAsync(inline, cancellationToken);
            return;
        }

        var text = CommandTextOf(activity);
        if (text.Length == 0 && activity.Attachments?.Any(a => a.ContentType == Admin.ImportOwnersCommand.FileDownloadInfo) == true)
        {
            // A CSV file sent on its own is an owner import: the only thing files are for here.
            text = CommandNames.ImportOwners;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            // An empty message or a submit that is not a command button: nothing to answer.
            return;
        }

        var table = turn.Services.GetRequiredService<CommandTable>();
        CommandReply reply;
        if (table.TryResolve(text, out var command, out var arguments) && command is not null)
        {
            LogCommand(logger, command.Name, activity.Conversation?.ConversationType);
            reply = await command.ExecuteAsync(new CommandRequest(arguments, turn.Actor, activity.Conversation?.ConversationType, activity.Attachments, activity.Text), cancellationToken);
        }
        else
        {
            reply = CommandReply.WithText($"Sorry, I don't know that command. Type **{CommandNames.Help}** to see what I can do.");
        }

        var outgoing = reply.Card is null
            ? activity.CreateReply(reply.Text)
            : activity.CreateReply(attachments: [Attachment.ForCard(reply.Card)]);
        var sent = await turn.SendActivityAsync(outgoing, cancellationToken);
        if (reply.AfterSent is { } afterSent && sent.Succeeded && sent.Id is { Length: > 0 } id)
        {
            afterSent(new Actions.PostedCard(activity.ServiceUrl ?? string.Empty, activity.Conversation?.Id ?? string.Empty, id));
        }
    }

    /// <summary>
    /// Typed text, or the <c>command</c> of a card button (Action.Submit posts it as <c>value</c> with no text). Both
    /// are untrusted input of the same kind; commands are short, so anything longer is ignored.
    /// </summary>
    internal static string CommandTextOf(Activity activity)
    {
        var text = activity.GetCommandText();
        if (text.Length > 0)
        {
            return text;
        }

        return activity.ReadValue(CardsJsonContext.Default.CommandSubmitData)?.Command is { Length: > 0 and <= MaxCommandLength } submitted
            ? submitted.Trim()
            : string.Empty;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command '{Command}' in a {ConversationType} conversation")]
    private static partial void LogCommand(ILogger logger, string command, string? conversationType);
}
