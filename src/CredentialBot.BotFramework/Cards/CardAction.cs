using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Base of all card actions.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ActionExecute), "Action.Execute")]
[JsonDerivedType(typeof(ActionSubmit), "Action.Submit")]
[JsonDerivedType(typeof(ActionOpenUrl), "Action.OpenUrl")]
public abstract record CardAction
{
    /// <summary>Action id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Descriptive title ("Rotate secret for Payroll API", not "Click here").</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary><c>default</c>, <c>positive</c>, <c>destructive</c>.</summary>
    [JsonPropertyName("style")]
    public string? Style { get; init; }

    /// <summary>Tooltip.</summary>
    [JsonPropertyName("tooltip")]
    public string? Tooltip { get; init; }

    /// <summary>Enabled state.</summary>
    [JsonPropertyName("isEnabled")]
    public bool? IsEnabled { get; init; }

    /// <summary><c>primary</c> or <c>secondary</c> (overflow menu).</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    /// <summary>Icon URL.</summary>
    [JsonPropertyName("iconUrl")]
    public string? IconUrl { get; init; }
}
