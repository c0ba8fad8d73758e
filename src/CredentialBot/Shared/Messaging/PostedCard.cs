using System.Text.Json.Serialization;

namespace CredentialBot.Shared.Messaging;

/// <summary>Where a card was posted, so it can be redrawn for everyone later.</summary>
/// <param name="ServiceUrl">The Bot Connector it was posted through.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="ActivityId">The message's id.</param>
public sealed record PostedCard(
    [property: JsonPropertyName("serviceUrl")] string ServiceUrl,
    [property: JsonPropertyName("conversationId")] string ConversationId,
    [property: JsonPropertyName("activityId")] string ActivityId);
