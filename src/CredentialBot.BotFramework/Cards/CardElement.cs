using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>Base of all card elements.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Table), "Table")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
[JsonDerivedType(typeof(InputText), "Input.Text")]
[JsonDerivedType(typeof(InputChoiceSet), "Input.ChoiceSet")]
[JsonDerivedType(typeof(InputToggle), "Input.Toggle")]
public abstract record CardElement
{
    /// <summary>Element id (required for inputs; their values are keyed by it).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary><c>None</c>, <c>Small</c>, <c>Default</c>, <c>Medium</c>, <c>Large</c>, <c>ExtraLarge</c>, <c>Padding</c>.</summary>
    [JsonPropertyName("spacing")]
    public string? Spacing { get; init; }

    /// <summary>Draw a separator line above.</summary>
    [JsonPropertyName("separator")]
    public bool? Separator { get; init; }

    /// <summary>Initial visibility.</summary>
    [JsonPropertyName("isVisible")]
    public bool? IsVisible { get; init; }
}
