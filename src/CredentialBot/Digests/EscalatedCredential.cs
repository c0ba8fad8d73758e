using System.Text.Json.Serialization;

namespace CredentialBot.Digests;

/// <summary>One credential in an escalation (never its value: CredentialBot never has it).</summary>
public sealed record EscalatedCredential(
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("endsAt")] DateTimeOffset EndsAt,
    [property: JsonPropertyName("stage")] string Stage);
