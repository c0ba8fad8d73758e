using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>The action of an <c>adaptiveCard/action</c> invoke. <see cref="Data"/> is untrusted input.</summary>
/// <param name="Type">The action type; the router accepts only <c>Action.Execute</c>.</param>
/// <param name="Id">The action's id in the card, if it has one.</param>
/// <param name="Verb">The verb the router keys on.</param>
/// <param name="Data">The button's data with any inputs merged in; the router reads it into the route's type.</param>
public sealed record AdaptiveCardInvokeAction(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("verb")] string? Verb,
    [property: JsonPropertyName("data")] JsonElement? Data);
