using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>Paging of a message-extension query.</summary>
/// <param name="Skip">Results to skip.</param>
/// <param name="Count">Results wanted.</param>
public sealed record MessagingExtensionQueryOptions(
    [property: JsonPropertyName("skip")] int? Skip,
    [property: JsonPropertyName("count")] int? Count);
