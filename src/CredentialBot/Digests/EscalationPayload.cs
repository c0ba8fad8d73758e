using System.Text.Json.Serialization;

namespace CredentialBot.Digests;

/// <summary>What an ITSM tool receives when a credential has nobody to act on it.</summary>
public sealed record EscalationPayload(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("apps")] IReadOnlyList<EscalatedApp> Apps);
