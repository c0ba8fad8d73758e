using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>The <c>value</c> of an <c>adaptiveCard/action</c> invoke.</summary>
/// <param name="Action">The action that was clicked (or the card's refresh action).</param>
/// <param name="Trigger"><c>manual</c> for a click, <c>automatic</c> for a refresh.</param>
public sealed record AdaptiveCardInvokeValue(
    [property: JsonPropertyName("action")] AdaptiveCardInvokeAction? Action,
    [property: JsonPropertyName("trigger")] string? Trigger);
