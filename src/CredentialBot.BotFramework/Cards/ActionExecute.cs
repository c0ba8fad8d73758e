using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Universal Action: sends an <c>adaptiveCard/action</c> invoke with <see cref="Verb"/> and <see cref="Data"/>.</summary>
public sealed record ActionExecute : CardAction
{
    /// <summary>The verb the bot routes on.</summary>
    [JsonPropertyName("verb")]
    public required string Verb { get; init; }

    /// <summary>Action data; inputs are merged in. Create with <c>JsonSerializer.SerializeToElement(value, typeInfo)</c>.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary><c>auto</c> or <c>none</c>.</summary>
    [JsonPropertyName("associatedInputs")]
    public string? AssociatedInputs { get; init; }

    /// <summary>
    /// For clients without Universal Actions (an Action.Submit). Declared as the base type so the <c>"type"</c>
    /// discriminator is written.
    /// </summary>
    [JsonPropertyName("fallback")]
    public CardAction? Fallback { get; init; }
}
