using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>One fact.</summary>
public sealed record Fact([property: JsonPropertyName("title")] string Title, [property: JsonPropertyName("value")] string Value);
