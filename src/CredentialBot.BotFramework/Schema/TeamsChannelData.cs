using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Schema;

/// <summary>Teams' <c>channelData</c>.</summary>
public sealed record TeamsChannelData
{
    /// <summary>The tenant (always present from Teams).</summary>
    [JsonPropertyName("tenant")]
    public TenantInfo? Tenant { get; init; }

    /// <summary>The team, for channel conversations.</summary>
    [JsonPropertyName("team")]
    public TeamInfo? Team { get; init; }

    /// <summary>The channel, for channel conversations.</summary>
    [JsonPropertyName("channel")]
    public ChannelInfo? Channel { get; init; }

    /// <summary>Event type on conversationUpdate, e.g. teamMemberAdded; compare case-insensitively.</summary>
    [JsonPropertyName("eventType")]
    public string? EventType { get; init; }

    /// <summary>
    /// Fields this model does not name, kept verbatim. Settable (not init) because System.Text.Json's source
    /// generator cannot bind extension data through an initializer.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Tenant reference.</summary>
public sealed record TenantInfo([property: JsonPropertyName("id")] string? Id)
{
    /// <summary>Fields this model does not name, kept verbatim (settable: the source generator cannot bind extension data through init).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Team reference.</summary>
public sealed record TeamInfo
{
    /// <summary>Team id (equals the General channel's id).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Team name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The team's Microsoft 365 group id.</summary>
    [JsonPropertyName("aadGroupId")]
    public string? AadGroupId { get; init; }

    /// <summary>Fields this model does not name, kept verbatim (settable: the source generator cannot bind extension data through init).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Channel reference.</summary>
public sealed record ChannelInfo
{
    /// <summary>Channel id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Channel name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Fields this model does not name, kept verbatim (settable: the source generator cannot bind extension data through init).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Body of <c>POST v3/conversations</c>: create a 1:1 conversation or a channel thread.</summary>
public sealed record ConversationParameters
{
    /// <summary>False for 1:1.</summary>
    [JsonPropertyName("isGroup")]
    public bool IsGroup { get; init; }

    /// <summary>The bot.</summary>
    [JsonPropertyName("bot")]
    public ChannelAccount? Bot { get; init; }

    /// <summary>Exactly one member (the user's 29: id) for 1:1.</summary>
    [JsonPropertyName("members")]
    public IReadOnlyList<ChannelAccount>? Members { get; init; }

    /// <summary>Required by Teams.</summary>
    [JsonPropertyName("tenantId")]
    public string? TenantId { get; init; }

    /// <summary>Tenant (and channel, for threads).</summary>
    [JsonPropertyName("channelData")]
    public TeamsChannelData? ChannelData { get; init; }

    /// <summary>Optional first activity.</summary>
    [JsonPropertyName("activity")]
    public Activity? Activity { get; init; }
}

/// <summary>Answer of send/reply/update.</summary>
public sealed record ResourceResponse([property: JsonPropertyName("id")] string? Id);

/// <summary>One page of a roster.</summary>
public sealed record TeamsPagedMembers(
    [property: JsonPropertyName("continuationToken")] string? ContinuationToken,
    [property: JsonPropertyName("members")] IReadOnlyList<TeamsChannelAccount>? Members);

/// <summary>Answer of create-conversation.</summary>
public sealed record ConversationResourceResponse(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("activityId")] string? ActivityId,
    [property: JsonPropertyName("serviceUrl")] string? ServiceUrl);

/// <summary>A conversation member as the Connector's REST API returns it (raw field <c>objectId</c>).</summary>
public sealed record TeamsChannelAccount
{
    /// <summary>User id (29:…).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Display name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Entra object id as REST returns it.</summary>
    [JsonPropertyName("objectId")]
    public string? ObjectId { get; init; }

    /// <summary>Entra object id as SDKs name it; some hosts send this instead.</summary>
    [JsonPropertyName("aadObjectId")]
    public string? AadObjectId { get; init; }

    /// <summary>Email.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; init; }

    /// <summary>User principal name.</summary>
    [JsonPropertyName("userPrincipalName")]
    public string? UserPrincipalName { get; init; }

    /// <summary>Tenant id.</summary>
    [JsonPropertyName("tenantId")]
    public string? TenantId { get; init; }

    /// <summary><c>user</c> or <c>anonymous</c>.</summary>
    [JsonPropertyName("userRole")]
    public string? UserRole { get; init; }

    /// <summary>The Entra object id, whichever field carried it.</summary>
    [JsonIgnore]
    public string? EntraObjectId => ObjectId ?? AadObjectId;
}
