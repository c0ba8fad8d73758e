using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Key/value pairs.</summary>
public sealed record FactSet : CardElement
{
    /// <summary>The facts.</summary>
    [JsonPropertyName("facts")]
    public IReadOnlyList<Fact> Facts { get; init; } = [];
}
