using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>A table cell.</summary>
public sealed record TableCell
{
    /// <summary>Always <c>TableCell</c>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "TableCell";

    /// <summary>Contents.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<CardElement> Items { get; init; } = [];

    /// <summary>Action when the cell is selected.</summary>
    [JsonPropertyName("selectAction")]
    public CardAction? SelectAction { get; init; }
}
