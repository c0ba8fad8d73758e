namespace CredentialBot.BotFramework.Schema;

/// <summary>
/// Where the bot can reach a conversation proactively, as remembered from an activity in it (or from creating it):
/// enough to address a new message, or the replacement of one the bot sent, without an incoming activity.
/// </summary>
/// <param name="ServiceUrl">The Bot Connector of the conversation.</param>
/// <param name="ChannelId">The channel, <c>msteams</c> for Teams.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="ConversationType">personal, groupChat or channel.</param>
/// <param name="TenantId">The tenant the conversation belongs to.</param>
/// <param name="BotId">The bot's account in the conversation (<c>28:…</c>), when known.</param>
/// <param name="UserId">In a personal chat, the person's per-bot Teams id (<c>29:…</c>).</param>
/// <param name="UserObjectId">In a personal chat, the person's Entra object id.</param>
public sealed record ConversationReference(
    string ServiceUrl,
    string ChannelId,
    string ConversationId,
    string? ConversationType,
    string? TenantId,
    string? BotId = null,
    string? UserId = null,
    string? UserObjectId = null)
{
    /// <summary>
    /// A new message to this conversation, addressed the way a reply would be (from the bot, to the person in a personal
    /// chat): the Agents Playground and other SDK peers expect it.
    /// </summary>
    public Activity CreateMessage(IReadOnlyList<Attachment> attachments, string? summary = null) => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = ChannelId,
        ServiceUrl = ServiceUrl,
        From = BotId is null ? null : new ChannelAccount { Id = BotId },
        Recipient = UserId is null && UserObjectId is null ? null : new ChannelAccount { Id = UserId, AadObjectId = UserObjectId },
        Conversation = Conversation(),
        Summary = summary,
        Attachments = attachments,
    };

    /// <summary>The replacement, for everyone in the conversation, of message <paramref name="activityId"/> the bot sent.</summary>
    public Activity CreateUpdate(string activityId, IReadOnlyList<Attachment> attachments) => new()
    {
        Type = ActivityTypes.Message,
        Id = activityId,
        ChannelId = ChannelId,
        ServiceUrl = ServiceUrl,
        Conversation = Conversation(),
        Attachments = attachments,
    };

    private ConversationAccount Conversation() => new() { Id = ConversationId, ConversationType = ConversationType, TenantId = TenantId };
}
