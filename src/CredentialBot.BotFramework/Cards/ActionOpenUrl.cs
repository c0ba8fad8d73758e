using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Opens a URL; no bot round trip.</summary>
public sealed record ActionOpenUrl : CardAction
{
    /// <summary>The URL.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }
}
