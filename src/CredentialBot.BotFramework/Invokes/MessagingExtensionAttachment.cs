using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Cards;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>One result: the card inserted when chosen, and the preview shown in the result list.</summary>
/// <param name="ContentType">The card's content type.</param>
/// <param name="Content">The card.</param>
/// <param name="Preview">The preview in the result list.</param>
public sealed record MessagingExtensionAttachment(
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("content")] JsonElement Content,
    [property: JsonPropertyName("preview")] MessagingExtensionPreview Preview)
{
    /// <summary>An Adaptive Card result with its thumbnail preview.</summary>
    public static MessagingExtensionAttachment ForCard(AdaptiveCard card, ThumbnailCard preview) =>
        new(Schema.CardContentTypes.AdaptiveCard, JsonSerializer.SerializeToElement(card, BotJsonContext.Default.AdaptiveCard), new MessagingExtensionPreview(preview));
}
