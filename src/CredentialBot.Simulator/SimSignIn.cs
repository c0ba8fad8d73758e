using System.Text.Json.Serialization;

namespace CredentialBot.Simulator;

/// <summary>Body of <c>POST /_simulator/signins</c>: App <see cref="AppId"/> signed in with credential <see cref="KeyId"/> at <see cref="At"/> (now when absent).</summary>
public sealed record SimSignIn(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("at")] DateTimeOffset? At = null);
