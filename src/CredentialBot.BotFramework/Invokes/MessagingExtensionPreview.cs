using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>A result's preview, a thumbnail card.</summary>
/// <param name="Content">The thumbnail card.</param>
/// <param name="ContentType">Its content type.</param>
public sealed record MessagingExtensionPreview(
    [property: JsonPropertyName("content")] ThumbnailCard Content,
    [property: JsonPropertyName("contentType")] string ContentType = "application/vnd.microsoft.card.thumbnail");
