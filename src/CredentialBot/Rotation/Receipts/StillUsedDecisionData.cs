using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Rotation.Receipts;

/// <summary>Data of "Remove anyway" and "Keep N more days" on a still-used card: which App, which old credential, and the card's one-time id.</summary>
/// <param name="App">The App's object id.</param>
/// <param name="KeyId">The old credential's key id.</param>
/// <param name="Confirm">The card's one-time id: a second press of the same button does nothing.</param>
public sealed record StillUsedDecisionData(
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("credential")] string KeyId,
    [property: JsonPropertyName("confirm")] string Confirm) : IWellFormed
{
    public bool IsWellFormed() => App is { Length: > 0 and <= 128 } && KeyId is { Length: > 0 and <= 128 } && Confirm is { Length: > 0 and <= 64 };
}
