using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>A choice among options.</summary>
public sealed record InputChoiceSet : CardInput
{
    /// <summary>Options.</summary>
    [JsonPropertyName("choices")]
    public IReadOnlyList<Choice> Choices { get; init; } = [];

    /// <summary><c>compact</c> or <c>expanded</c>.</summary>
    [JsonPropertyName("style")]
    public string? Style { get; init; }

    /// <summary>Several may be chosen (value is comma-joined).</summary>
    [JsonPropertyName("isMultiSelect")]
    public bool? IsMultiSelect { get; init; }

    /// <summary>Initial value.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }
}
