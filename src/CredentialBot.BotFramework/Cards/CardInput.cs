using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Base of inputs: every input has an id, a label and, when required, an error message.</summary>
public abstract record CardInput : CardElement
{
    /// <summary>Visible label (a placeholder is not a label).</summary>
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    /// <summary>Client-side required check.</summary>
    [JsonPropertyName("isRequired")]
    public bool? IsRequired { get; init; }

    /// <summary>Shown when validation fails.</summary>
    [JsonPropertyName("errorMessage")]
    public string? ErrorMessage { get; init; }
}
