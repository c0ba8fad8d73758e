using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>A table row.</summary>
public sealed record TableRow
{
    /// <summary>Always <c>TableRow</c>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "TableRow";

    /// <summary>Cells.</summary>
    [JsonPropertyName("cells")]
    public IReadOnlyList<TableCell> Cells { get; init; } = [];
}
