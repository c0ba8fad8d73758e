using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Text; markdown subset allowed. Keep <see cref="Wrap"/> on so nothing is cut at zoom.</summary>
public sealed record TextBlock : CardElement
{
    /// <summary>The text.</summary>
    [JsonPropertyName("text")]
    public required string Text { get; init; }

    /// <summary>Wrap long text.</summary>
    [JsonPropertyName("wrap")]
    public bool? Wrap { get; init; }

    /// <summary><c>Lighter</c>, <c>Default</c>, <c>Bolder</c>.</summary>
    [JsonPropertyName("weight")]
    public string? Weight { get; init; }

    /// <summary><c>Default</c> or <c>Monospace</c>.</summary>
    [JsonPropertyName("fontType")]
    public string? FontType { get; init; }

    /// <summary><c>Small</c>, <c>Default</c>, <c>Medium</c>, <c>Large</c>, <c>ExtraLarge</c>.</summary>
    [JsonPropertyName("size")]
    public string? Size { get; init; }

    /// <summary><c>Default</c>, <c>Dark</c>, <c>Light</c>, <c>Accent</c>, <c>Good</c>, <c>Warning</c>, <c>Attention</c>.</summary>
    [JsonPropertyName("color")]
    public string? Color { get; init; }

    /// <summary>Subdued text.</summary>
    [JsonPropertyName("isSubtle")]
    public bool? IsSubtle { get; init; }

    /// <summary>Maximum lines.</summary>
    [JsonPropertyName("maxLines")]
    public int? MaxLines { get; init; }

    /// <summary><c>default</c> or <c>heading</c> (exposed to screen readers as a heading).</summary>
    [JsonPropertyName("style")]
    public string? Style { get; init; }
}
