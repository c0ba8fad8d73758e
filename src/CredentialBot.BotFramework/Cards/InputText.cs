using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Free text input.</summary>
public sealed record InputText : CardInput
{
    /// <summary>Placeholder.</summary>
    [JsonPropertyName("placeholder")]
    public string? Placeholder { get; init; }

    /// <summary>Multi-line.</summary>
    [JsonPropertyName("isMultiline")]
    public bool? IsMultiline { get; init; }

    /// <summary>Maximum length.</summary>
    [JsonPropertyName("maxLength")]
    public int? MaxLength { get; init; }

    /// <summary>Client-side pattern.</summary>
    [JsonPropertyName("regex")]
    public string? Regex { get; init; }

    /// <summary>Initial value.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary><c>text</c>, <c>tel</c>, <c>url</c>, <c>email</c>, <c>password</c>.</summary>
    [JsonPropertyName("style")]
    public string? Style { get; init; }
}
