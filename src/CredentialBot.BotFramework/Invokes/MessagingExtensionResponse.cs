using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>Answer to a message-extension query or link unfurl: <c>{"composeExtension": {…}}</c>.</summary>
/// <param name="ComposeExtension">The results or the message.</param>
public sealed record MessagingExtensionResponse([property: JsonPropertyName("composeExtension")] MessagingExtensionResult ComposeExtension)
{
    /// <summary>A list of results.</summary>
    public static MessagingExtensionResponse Results(IReadOnlyList<MessagingExtensionAttachment> attachments) =>
        new(new MessagingExtensionResult("result", "list", attachments, null));

    /// <summary>A plain message instead of results (no formatting).</summary>
    public static MessagingExtensionResponse Message(string text) => new(new MessagingExtensionResult("message", null, null, text));
}
