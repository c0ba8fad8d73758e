using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>Link unfurling request.</summary>
/// <param name="Url">The link pasted in the compose box.</param>
public sealed record AppBasedLinkQuery([property: JsonPropertyName("url")] string? Url);
