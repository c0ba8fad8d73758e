using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>An option of <see cref="InputChoiceSet"/>.</summary>
public sealed record Choice([property: JsonPropertyName("title")] string Title, [property: JsonPropertyName("value")] string Value);
