using System.Text.Json.Serialization;

namespace CredentialBot.Digests;

/// <summary>One App in an escalation.</summary>
public sealed record EscalatedApp(
    [property: JsonPropertyName("objectId")] string ObjectId,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("displayName")] string DisplayName,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("credentials")] IReadOnlyList<EscalatedCredential> Credentials);
