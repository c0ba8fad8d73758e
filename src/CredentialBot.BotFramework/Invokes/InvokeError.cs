using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>A generic error body.</summary>
/// <param name="Code">A short machine-readable code, e.g. <c>BadRequest</c>.</param>
/// <param name="Message">What went wrong, for people.</param>
public sealed record InvokeError([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message);
