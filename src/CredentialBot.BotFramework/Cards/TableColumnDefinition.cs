using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>A table column's width.</summary>
public sealed record TableColumnDefinition
{
    /// <summary>Relative width.</summary>
    [JsonPropertyName("width")]
    public int Width { get; init; } = 1;
}
