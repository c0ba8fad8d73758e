using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Telemetry;

namespace CredentialBot.Conversation;

/// <summary>
/// Messages: typed commands in personal chat, and in group chats and channels when the bot is @mentioned (Teams only
/// delivers those), with the bot's own mention stripped; card buttons that run a command; and dialog buttons a client
/// posted instead of opening the dialog, which then opens in the chat.
/// <para>
/// The answer is a reply sent within the message's own HTTP request, which Teams stops waiting for after
/// <see cref="ReplyDeadline.TeamsWaits"/>: a reply the tenant's Connector budget cannot send in time is shed, not queued
/// (logged, and counted in <see cref="HostTelemetry.RepliesShedMetric"/>). What the command did stands whole (its change
/// and audit committed before the reply), and what was to follow the reply (<see cref="CommandReply.AfterSent"/>, such
/// as a scan that reports into the posted card) does not start.
/// </para>
/// </summary>
public sealed partial class MessageRoute(CommandTable commands, CommandRunner runner, DialogRunner dialogs, TimeProvider time, ILogger<MessageRoute> logger) : IActivityHandler
{
    private const int MaxCommandLength = 300;

    public async Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var sendBy = ReplyDeadline.For(time.GetUtcNow());
        var activity = turn.Activity;
        if (activity.ReadValue(CardDataJson.Default.DialogData) is { } button && button.IsUnopenedDialogButton())
        {
            var step = await dialogs.RunAsync(turn, button, submit: false, cancellationToken);
            await ReplyAsync(turn, step.Answer is { } answer ? activity.CreateReply(attachments: [Attachment.ForCard(answer.ToInlineCard())]) : activity.CreateReply(step.Error), sendBy, "a dialog button", cancellationToken);
            return;
        }

        var text = CommandTextOf(activity);
        if (text.Length == 0 && activity.Attachments?.Any(a => a.ContentType == FileDownloadInfo.ContentType) == true)
        {
            // A CSV file sent on its own is an owner import: the only thing files are for here.
            text = CommandNames.ImportOwners;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            // An empty message or a submit that is not a command button: nothing to answer.
            return;
        }

        CommandReply reply;
        if (commands.TryResolve(text, out var command, out var arguments) && command is not null)
        {
            LogCommand(logger, command.Info.Name, activity.Conversation?.ConversationType);
            reply = await runner.RunAsync(turn, command, arguments, cancellationToken);
        }
        else
        {
            reply = CommandReply.WithText($"Sorry, I don't know that command. Type **{CommandNames.Help}** to see what I can do.");
        }

        var sent = await ReplyAsync(turn, Reply(activity, reply.Card, reply.Text), sendBy, command?.Info.Name ?? "unknown command", cancellationToken);
        if (reply.AfterSent is { } afterSent && sent.Succeeded && sent.Id is { Length: > 0 } id)
        {
            afterSent(new PostedCard(activity.ServiceUrl ?? string.Empty, activity.Conversation?.Id ?? string.Empty, id));
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

        return activity.ReadValue(CardDataJson.Default.CommandSubmitData)?.Command is { Length: > 0 and <= MaxCommandLength } submitted
            ? submitted.Trim()
            : string.Empty;
    }

    /// <summary>Sends the answer as a reply due by <paramref name="sendBy"/>; a shed reply is logged and counted.</summary>
    private async Task<SendResult> ReplyAsync(TurnContext turn, Activity reply, DateTimeOffset sendBy, string answering, CancellationToken cancellationToken)
    {
        SendResult sent;
        using (ReplyDeadline.Until(sendBy))
        {
            sent = await turn.SendActivityAsync(reply, cancellationToken);
        }

        if (sent.ErrorCode == ConnectorRequestShedException.ErrorCode)
        {
            LogReplyShed(logger, answering);
            HostTelemetry.RepliesShed.Add(1);
        }

        return sent;
    }

    private static Activity Reply(Activity activity, AdaptiveCard? card, string? text) =>
        card is null ? activity.CreateReply(text) : activity.CreateReply(attachments: [Attachment.ForCard(card)]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply to '{Answering}' was shed: the tenant's Connector budget had no slot for it before Teams stops waiting")]
    private static partial void LogReplyShed(ILogger logger, string answering);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command '{Command}' in a {ConversationType} conversation")]
    private static partial void LogCommand(ILogger logger, string command, string? conversationType);
}
