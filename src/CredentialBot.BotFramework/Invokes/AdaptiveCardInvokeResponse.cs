using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Cards;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>
/// Body of an <c>adaptiveCard/action</c> response (sent with HTTP 200): a card that replaces the clicked one, a
/// message, or an error.
/// </summary>
/// <param name="StatusCode">200, or the error's status (Teams reads it from the body, not from HTTP).</param>
/// <param name="Type">The content type of <paramref name="Value"/>.</param>
/// <param name="Value">The card, the message text or the error.</param>
public sealed record AdaptiveCardInvokeResponse(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] JsonElement? Value)
{
    /// <summary>Replace the card.</summary>
    public static AdaptiveCardInvokeResponse Card(AdaptiveCard card) =>
        new(200, "application/vnd.microsoft.card.adaptive", JsonSerializer.SerializeToElement(card, BotJsonContext.Default.AdaptiveCard));

    /// <summary>Show a message.</summary>
    public static AdaptiveCardInvokeResponse Message(string text) =>
        new(200, "application/vnd.microsoft.activity.message", JsonSerializer.SerializeToElement(text, BotJsonContext.Default.String));

    /// <summary>An error Teams shows to the user.</summary>
    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) =>
        new(statusCode, "application/vnd.microsoft.error", JsonSerializer.SerializeToElement(new InvokeError(code, message), BotJsonContext.Default.InvokeError));
}
