using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>A table (1.5) for real tabular data; set <see cref="FirstRowAsHeader"/>.</summary>
public sealed record Table : CardElement
{
    /// <summary>Column definitions.</summary>
    [JsonPropertyName("columns")]
    public IReadOnlyList<TableColumnDefinition> Columns { get; init; } = [];

    /// <summary>Rows.</summary>
    [JsonPropertyName("rows")]
    public IReadOnlyList<TableRow> Rows { get; init; } = [];

    /// <summary>First row is a header for screen readers.</summary>
    [JsonPropertyName("firstRowAsHeader")]
    public bool? FirstRowAsHeader { get; init; }

    /// <summary>Draw grid lines.</summary>
    [JsonPropertyName("showGridLines")]
    public bool? ShowGridLines { get; init; }

    /// <summary>Container style for grid lines.</summary>
    [JsonPropertyName("gridStyle")]
    public string? GridStyle { get; init; }
}
