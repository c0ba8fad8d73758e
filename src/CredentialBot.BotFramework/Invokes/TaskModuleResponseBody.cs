using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>The <c>task</c> object of a dialog answer.</summary>
/// <param name="Type"><c>continue</c> or <c>message</c>.</param>
/// <param name="Value">The dialog's settings and card, or the closing message.</param>
public sealed record TaskModuleResponseBody(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] JsonElement Value);
