using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Digests;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Conversation;

/// <summary>
/// Remembers where the bot can reach people (conversation references for personal chats and channels) and
/// greets each conversation once, the first time the bot is installed in it.
/// </summary>
public sealed partial class ConversationEvents(
    ConversationReferenceStore references,
    Outbox outbox,
    DispatchSignal dispatch,
    UnreachableRecipients unreachable,
    TimeProvider time,
    ILogger<ConversationEvents> logger)
{
    /// <summary>Stores or refreshes the reference; sends the welcome card when the conversation is new to us.</summary>
    public async Task RememberAndGreetAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (activity.Conversation?.Id is not { Length: > 0 } || activity.ServiceUrl is not { Length: > 0 })
        {
            return;
        }

        var reference = ReferenceOf(activity, time.GetUtcNow());
        var created = await references.UpsertAsync(reference, cancellationToken);
        if (!created)
        {
            // Teams repeats install events (and the Playground sends both kinds); a team seen again may still hold
            // people who could not be reached before.
            await ReviveFromTeamAsync(reference, cancellationToken);
            return;
        }

        var personal = string.Equals(activity.Conversation.ConversationType, ConversationTypes.Personal, StringComparison.OrdinalIgnoreCase)
            || activity.Conversation.ConversationType is null;
        LogGreeting(logger, activity.Conversation.ConversationType);
        var welcome = activity.CreateReply(attachments: [Attachment.ForCard(WelcomeCard.Build(personal ? activity.From?.Name : null, personal))]);
        welcome = welcome with { ReplyToId = null };
        await turn.SendActivityAsync(welcome, cancellationToken);

        // Notices planned before this person could be reached are due now, after the greeting.
        if (personal && activity.From?.AadObjectId is { Length: > 0 } person
            && await outbox.WakeRecipientAsync(person, cancellationToken) > 0)
        {
            dispatch.Wake();
        }

        await ReviveFromTeamAsync(reference, cancellationToken);
    }

    /// <summary>
    /// People joined or left a team the bot is in: its roster is read again, and anyone there whose notices waited
    /// because nobody could reach them gets them now.
    /// </summary>
    public async Task TeamRosterChangedAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (activity.Conversation?.Id is not { Length: > 0 } || activity.ServiceUrl is not { Length: > 0 })
        {
            return;
        }

        await ReviveFromTeamAsync(ReferenceOf(activity, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>Forgets the conversation when the bot is uninstalled from it.</summary>
    public async Task ForgetAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Activity.Conversation?.Id is { Length: > 0 } conversationId)
        {
            await references.RemoveAsync(conversationId, cancellationToken);
        }
    }

    private async Task ReviveFromTeamAsync(ConversationReferenceRecord reference, CancellationToken cancellationToken)
    {
        if (reference.TeamId is not null || string.Equals(reference.ConversationType, ConversationTypes.Channel, StringComparison.OrdinalIgnoreCase))
        {
            await unreachable.ReviveFromTeamAsync(reference, cancellationToken);
        }
    }

    internal static ConversationReferenceRecord ReferenceOf(Activity activity, DateTimeOffset now)
    {
        var conversation = activity.Conversation!;
        var personal = string.Equals(conversation.ConversationType, ConversationTypes.Personal, StringComparison.OrdinalIgnoreCase);
        return new ConversationReferenceRecord
        {
            ConversationId = conversation.Id!,
            ConversationType = conversation.ConversationType ?? ConversationTypes.Personal,
            // Only a personal conversation belongs to one person; in channels the sender is incidental.
            UserObjectId = personal ? activity.From?.AadObjectId : null,
            UserId = personal ? activity.From?.Id : null,
            TenantId = activity.TenantId(),
            ServiceUrl = activity.ServiceUrl!,
            ChannelId = activity.ChannelId ?? "msteams",
            BotId = activity.Recipient?.Id,
            TeamId = activity.ChannelData?.Team?.Id,
            ChannelName = activity.ChannelData?.Channel?.Name,
            UpdatedAt = now,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Greeting a new {ConversationType} conversation")]
    private static partial void LogGreeting(ILogger logger, string? conversationType);
}
