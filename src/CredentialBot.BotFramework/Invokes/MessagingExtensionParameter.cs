using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>A message-extension parameter.</summary>
/// <param name="Name">The parameter's name in the manifest.</param>
/// <param name="Value">Its value; text for search boxes.</param>
public sealed record MessagingExtensionParameter(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("value")] JsonElement? Value);
