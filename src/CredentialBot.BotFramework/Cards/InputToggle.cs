using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>A toggle; its value is <see cref="ValueOn"/> or <see cref="ValueOff"/>.</summary>
public sealed record InputToggle : CardInput
{
    /// <summary>Title next to the toggle.</summary>
    [JsonPropertyName("title")]
    public required string Title { get; init; }

    /// <summary>Initial value.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary>Value when on.</summary>
    [JsonPropertyName("valueOn")]
    public string? ValueOn { get; init; }

    /// <summary>Value when off.</summary>
    [JsonPropertyName("valueOff")]
    public string? ValueOff { get; init; }
}
