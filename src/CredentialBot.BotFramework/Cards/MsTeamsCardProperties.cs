using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>The card's <c>msteams</c> property.</summary>
public sealed record MsTeamsCardProperties
{
    /// <summary><c>Full</c> for full-width cards.</summary>
    [JsonPropertyName("width")]
    public string? Width { get; init; }

    /// <summary>Mention entities referenced by <c>&lt;at&gt;</c> text in the card.</summary>
    [JsonPropertyName("entities")]
    public IReadOnlyList<Schema.Entity>? Entities { get; init; }
}
