using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>
/// Submits data: in a bot card Teams posts a <c>message</c> with <c>value</c>; with <c>data.msteams</c> it can
/// be imBack, messageBack or <c>task/fetch</c> (opens a dialog).
/// </summary>
public sealed record ActionSubmit : CardAction
{
    /// <summary>Submitted data, including the optional <c>msteams</c> object.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary><c>auto</c> or <c>none</c>.</summary>
    [JsonPropertyName("associatedInputs")]
    public string? AssociatedInputs { get; init; }
}
