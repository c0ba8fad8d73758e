using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Actions inside the body.</summary>
public sealed record ActionSet : CardElement
{
    /// <summary>The actions.</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<CardAction> Actions { get; init; } = [];
}
