using System.Net;
using System.Text.RegularExpressions;

namespace CredentialBot.BotFramework.Schema;

/// <summary>Helpers over <see cref="Activity"/> that encode Teams protocol rules.</summary>
public static partial class ActivityExtensions
{
    /// <summary>The tenant: <c>channelData.tenant.id</c>, else <c>conversation.tenantId</c>.</summary>
    public static string? TenantId(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.ChannelData?.Tenant?.Id ?? activity.Conversation?.TenantId;
    }

    /// <summary>True for a 1:1 chat with the bot.</summary>
    public static bool IsPersonal(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Conversation?.ConversationType is null or ConversationTypes.Personal;
    }

    /// <summary>
    /// The message text as a command: the bot's own mentions removed (entities of type mention whose
    /// <c>mentioned.id</c> is the recipient), HTML entities decoded, whitespace trimmed. Other people's
    /// mentions stay. Mentions are read from entities, never guessed from text.
    /// </summary>
    public static string GetCommandText(this Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var text = activity.Text ?? string.Empty;
        var botId = activity.Recipient?.Id;
        foreach (var entity in activity.Entities ?? [])
        {
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase)
                || botId is null
                || !string.Equals(entity.Mentioned?.Id, botId, StringComparison.Ordinal))
            {
                continue;
            }

            var mentionText = entity.Text ?? $"<at>{entity.Mentioned?.Name}</at>";
            text = text.Replace(mentionText, " ", StringComparison.OrdinalIgnoreCase);
        }

        // Teams wraps some messages in <p> and uses &nbsp;; commands are plain text.
        text = WebUtility.HtmlDecode(HtmlTag().Replace(text, " ")).Replace('\u00A0', ' ');
        return Whitespace().Replace(text, " ").Trim();
    }

    /// <summary>A reply in the same conversation: from and recipient swapped, <c>replyToId</c> set.</summary>
    public static Activity CreateReply(this Activity activity, string? text = null, IReadOnlyList<Attachment>? attachments = null)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = activity.ChannelId,
            ServiceUrl = activity.ServiceUrl,
            From = activity.Recipient is null ? null : new ChannelAccount { Id = activity.Recipient.Id, Name = activity.Recipient.Name },
            Recipient = activity.From is null ? null : new ChannelAccount { Id = activity.From.Id, Name = activity.From.Name, AadObjectId = activity.From.AadObjectId },
            Conversation = activity.Conversation,
            ReplyToId = activity.Id,
            Text = text,
            TextFormat = text is null ? null : "markdown",
            Attachments = attachments,
        };
    }

    [GeneratedRegex("</?(p|span|div|br)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
