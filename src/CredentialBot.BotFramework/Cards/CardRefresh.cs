using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Universal Actions refresh.</summary>
public sealed record CardRefresh
{
    /// <summary>
    /// The action invoked with trigger <c>automatic</c>; Teams requires an <see cref="ActionExecute"/>. Declared as the
    /// base type so the serializer writes its <c>"type"</c> discriminator, which Teams needs to run the refresh.
    /// </summary>
    [JsonPropertyName("action")]
    public required CardAction Action { get; init; }

    /// <summary>Users (29: MRIs, at most 60) who get automatic refresh.</summary>
    [JsonPropertyName("userIds")]
    public IReadOnlyList<string>? UserIds { get; init; }
}
