using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>A thumbnail card: title and short text for result lists.</summary>
/// <param name="Title">The first line.</param>
/// <param name="Subtitle">The second line.</param>
/// <param name="Text">More text.</param>
public sealed record ThumbnailCard(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("subtitle")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subtitle,
    [property: JsonPropertyName("text")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);
