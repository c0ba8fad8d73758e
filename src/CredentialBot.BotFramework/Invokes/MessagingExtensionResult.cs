using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>The <c>composeExtension</c> object.</summary>
/// <param name="Type"><c>result</c> or <c>message</c>.</param>
/// <param name="AttachmentLayout"><c>list</c> for results.</param>
/// <param name="Attachments">The results.</param>
/// <param name="Text">The message.</param>
public sealed record MessagingExtensionResult(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("attachmentLayout")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AttachmentLayout,
    [property: JsonPropertyName("attachments")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MessagingExtensionAttachment>? Attachments,
    [property: JsonPropertyName("text")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text);
