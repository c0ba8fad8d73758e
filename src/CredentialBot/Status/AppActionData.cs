using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Status;

/// <summary>Data of a shared status card's refresh: which App.</summary>
/// <param name="App">The App's object id.</param>
public sealed record AppActionData([property: JsonPropertyName("app")] string App) : IWellFormed
{
    public bool IsWellFormed() => App is { Length: > 0 and <= 128 };
}
