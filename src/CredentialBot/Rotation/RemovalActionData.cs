using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Rotation;

/// <summary>Data of "Keep the old secret": which App, and which of its secrets not to remove.</summary>
/// <param name="App">The App's object id.</param>
/// <param name="KeyId">The scheduled secret's key id.</param>
public sealed record RemovalActionData([property: JsonPropertyName("app")] string App, [property: JsonPropertyName("credential")] string KeyId) : IWellFormed
{
    public bool IsWellFormed() => App is { Length: > 0 and <= 128 } && KeyId is { Length: > 0 and <= 128 };
}
