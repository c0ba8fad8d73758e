using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Schema;

/// <summary>
/// A Bot Framework activity as Teams sends and receives it. Unknown fields are kept in
/// <see cref="ExtensionData"/> so an activity survives a round trip unchanged.
/// </summary>
public sealed record Activity
{
    /// <summary>The activity type; see <see cref="ActivityTypes"/>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>Channel-assigned id; never set on outbound activities.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>UTC time the channel received the activity.</summary>
    [JsonPropertyName("timestamp")]
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Sender's local time.</summary>
    [JsonPropertyName("localTimestamp")]
    public DateTimeOffset? LocalTimestamp { get; init; }

    /// <summary>Base URL of the Bot Connector for this conversation; must equal the token's <c>serviceurl</c> claim.</summary>
    [JsonPropertyName("serviceUrl")]
    public string? ServiceUrl { get; init; }

    /// <summary>The channel, <c>msteams</c> for Teams.</summary>
    [JsonPropertyName("channelId")]
    public string? ChannelId { get; init; }

    /// <summary>The sender.</summary>
    [JsonPropertyName("from")]
    public ChannelAccount? From { get; init; }

    /// <summary>The recipient; for inbound activities, the bot.</summary>
    [JsonPropertyName("recipient")]
    public ChannelAccount? Recipient { get; init; }

    /// <summary>The conversation the activity belongs to.</summary>
    [JsonPropertyName("conversation")]
    public ConversationAccount? Conversation { get; init; }

    /// <summary>Message text; Teams puts mentions in it as <c>&lt;at&gt;Name&lt;/at&gt;</c>.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary><c>plain</c>, <c>markdown</c> or <c>xml</c>.</summary>
    [JsonPropertyName("textFormat")]
    public string? TextFormat { get; init; }

    /// <summary>Sender's locale, e.g. en-US.</summary>
    [JsonPropertyName("locale")]
    public string? Locale { get; init; }

    /// <summary>Attachments such as Adaptive Cards.</summary>
    [JsonPropertyName("attachments")]
    public IReadOnlyList<Attachment>? Attachments { get; init; }

    /// <summary><c>list</c> (default) or <c>carousel</c>.</summary>
    [JsonPropertyName("attachmentLayout")]
    public string? AttachmentLayout { get; init; }

    /// <summary>Entities such as mentions and client info.</summary>
    [JsonPropertyName("entities")]
    public IReadOnlyList<Entity>? Entities { get; init; }

    /// <summary>Teams-specific data: tenant, team, channel, event type.</summary>
    [JsonPropertyName("channelData")]
    public TeamsChannelData? ChannelData { get; init; }

    /// <summary>Payload of an invoke or of an Action.Submit message; untrusted input, parse once into a record.</summary>
    [JsonPropertyName("value")]
    public JsonElement? Value { get; init; }

    /// <summary>Invoke or event name, e.g. <c>adaptiveCard/action</c>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The activity this one replies to (for card actions, the card's message).</summary>
    [JsonPropertyName("replyToId")]
    public string? ReplyToId { get; init; }

    /// <summary>For <c>installationUpdate</c>: add, remove, add-upgrade, remove-upgrade.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; init; }

    /// <summary>For <c>conversationUpdate</c>: members added.</summary>
    [JsonPropertyName("membersAdded")]
    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }

    /// <summary>For <c>conversationUpdate</c>: members removed.</summary>
    [JsonPropertyName("membersRemoved")]
    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }

    /// <summary>Text shown in notifications when the message has only attachments.</summary>
    [JsonPropertyName("summary")]
    public string? Summary { get; init; }

    /// <summary>
    /// Fields this model does not name, kept verbatim. Settable (not init) because System.Text.Json's source
    /// generator cannot bind extension data through an initializer.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An account on the channel: a user (<c>29:…</c>) or a bot (<c>28:…</c>).</summary>
public sealed record ChannelAccount
{
    /// <summary>Channel id of the account (per-bot for users).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Display name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Entra object id of the user; opaque, never parsed.</summary>
    [JsonPropertyName("aadObjectId")]
    public string? AadObjectId { get; init; }

    /// <summary><c>user</c> or <c>bot</c>.</summary>
    [JsonPropertyName("role")]
    public string? Role { get; init; }

    /// <summary>
    /// Fields this model does not name, kept verbatim. Settable (not init) because System.Text.Json's source
    /// generator cannot bind extension data through an initializer.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The conversation an activity belongs to.</summary>
public sealed record ConversationAccount
{
    /// <summary>Conversation id (<c>a:…</c> personal, <c>19:…</c> group chat or channel).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary><see cref="ConversationTypes"/>: personal, groupChat or channel.</summary>
    [JsonPropertyName("conversationType")]
    public string? ConversationType { get; init; }

    /// <summary>True for group chats and channels.</summary>
    [JsonPropertyName("isGroup")]
    public bool? IsGroup { get; init; }

    /// <summary>Entra tenant id.</summary>
    [JsonPropertyName("tenantId")]
    public string? TenantId { get; init; }

    /// <summary>Conversation name, when it has one.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>
    /// Fields this model does not name, kept verbatim. Settable (not init) because System.Text.Json's source
    /// generator cannot bind extension data through an initializer.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An entity on an activity; mentions carry <see cref="Mentioned"/> and <see cref="Text"/>.</summary>
public sealed record Entity
{
    /// <summary>Entity type, e.g. <c>mention</c> or <c>clientInfo</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>For mentions: the exact text in the activity, e.g. <c>&lt;at&gt;Name&lt;/at&gt;</c>.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>For mentions: who was mentioned.</summary>
    [JsonPropertyName("mentioned")]
    public ChannelAccount? Mentioned { get; init; }

    /// <summary>
    /// Fields this model does not name, kept verbatim. Settable (not init) because System.Text.Json's source
    /// generator cannot bind extension data through an initializer.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An attachment; Adaptive Cards use <see cref="CardContentTypes.AdaptiveCard"/>.</summary>
public sealed record Attachment
{
    /// <summary>MIME type of the content.</summary>
    [JsonPropertyName("contentType")]
    public string? ContentType { get; init; }

    /// <summary>The content, e.g. the card.</summary>
    [JsonPropertyName("content")]
    public AttachmentContent? Content { get; init; }

    /// <summary>URL of the content, for files.</summary>
    [JsonPropertyName("contentUrl")]
    public string? ContentUrl { get; init; }

    /// <summary>File name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Fields this model does not name, kept verbatim (settable: the source generator cannot bind extension data through init).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Wraps an Adaptive Card as an attachment.</summary>
    public static Attachment ForCard(Cards.AdaptiveCard card) => new()
    {
        ContentType = CardContentTypes.AdaptiveCard,
        Content = AttachmentContent.Of(card),
    };
}

/// <summary>Attachment content types.</summary>
public static class CardContentTypes
{
    /// <summary>Adaptive Card.</summary>
    public const string AdaptiveCard = "application/vnd.microsoft.card.adaptive";

    /// <summary>Thumbnail card (message-extension previews).</summary>
    public const string ThumbnailCard = "application/vnd.microsoft.card.thumbnail";
}

/// <summary>Activity types this library knows by name. Unknown types are still accepted (and ignored).</summary>
public static class ActivityTypes
{
    /// <summary>A user message or an Action.Submit click.</summary>
    public const string Message = "message";

    /// <summary>A synchronous request answered in the HTTP response.</summary>
    public const string Invoke = "invoke";

    /// <summary>Membership and team/channel changes.</summary>
    public const string ConversationUpdate = "conversationUpdate";

    /// <summary>The app was installed or uninstalled.</summary>
    public const string InstallationUpdate = "installationUpdate";

    /// <summary>A reaction was added or removed.</summary>
    public const string MessageReaction = "messageReaction";

    /// <summary>Typing indicator.</summary>
    public const string Typing = "typing";

    /// <summary>A named event.</summary>
    public const string Event = "event";
}

/// <summary>Teams conversation types.</summary>
public static class ConversationTypes
{
    /// <summary>1:1 chat between a user and the bot.</summary>
    public const string Personal = "personal";

    /// <summary>Group chat.</summary>
    public const string GroupChat = "groupChat";

    /// <summary>Team channel.</summary>
    public const string Channel = "channel";
}
