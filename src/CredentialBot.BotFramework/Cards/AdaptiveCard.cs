using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Cards;

/// <summary>
/// An Adaptive Card (schema 1.5, the version Teams supports). Only the elements and actions this product
/// uses are modelled; each is a record so a card is data, built by pure functions and pinned by golden JSON.
/// </summary>
public sealed record AdaptiveCard
{
    /// <summary>Always <c>AdaptiveCard</c>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "AdaptiveCard";

    /// <summary>Schema version; Teams mobile refuses cards without one, and Action.Execute needs ≥ 1.4.</summary>
    [JsonPropertyName("version")]
    [JsonPropertyOrder(-9)]
    public string Version { get; init; } = "1.5";

    /// <summary>Universal Actions refresh: who gets an automatic refresh and with which action.</summary>
    [JsonPropertyName("refresh")]
    public CardRefresh? Refresh { get; init; }

    /// <summary>Teams extensions (full width, mentions). Not in the official schema; Teams reads it.</summary>
    [JsonPropertyName("msteams")]
    public MsTeamsCardProperties? MsTeams { get; init; }

    /// <summary>Elements, in reading order.</summary>
    [JsonPropertyName("body")]
    public IReadOnlyList<CardElement> Body { get; init; } = [];

    /// <summary>Card-level actions (at most six in Teams; extra ones go to the overflow menu).</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<CardAction>? Actions { get; init; }

    /// <summary>Text for clients that cannot render the card.</summary>
    [JsonPropertyName("fallbackText")]
    public string? FallbackText { get; init; }

    /// <summary>Spoken summary.</summary>
    [JsonPropertyName("speak")]
    public string? Speak { get; init; }
}

/// <summary>Universal Actions refresh.</summary>
public sealed record CardRefresh
{
    /// <summary>
    /// The action invoked with trigger <c>automatic</c>; Teams requires an <see cref="ActionExecute"/>. Declared as the
    /// base type so the serializer writes its <c>"type"</c> discriminator, which Teams needs to run the refresh.
    /// </summary>
    [JsonPropertyName("action")]
    public required CardAction Action { get; init; }

    /// <summary>Users (29: MRIs, at most 60) who get automatic refresh.</summary>
    [JsonPropertyName("userIds")]
    public IReadOnlyList<string>? UserIds { get; init; }
}

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

/// <summary>Base of all card elements.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(ColumnSet), "ColumnSet")]
[JsonDerivedType(typeof(Container), "Container")]
[JsonDerivedType(typeof(Table), "Table")]
[JsonDerivedType(typeof(Image), "Image")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
[JsonDerivedType(typeof(InputText), "Input.Text")]
[JsonDerivedType(typeof(InputChoiceSet), "Input.ChoiceSet")]
[JsonDerivedType(typeof(InputToggle), "Input.Toggle")]
[JsonDerivedType(typeof(InputNumber), "Input.Number")]
[JsonDerivedType(typeof(InputDate), "Input.Date")]
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

/// <summary>Key/value pairs.</summary>
public sealed record FactSet : CardElement
{
    /// <summary>The facts.</summary>
    [JsonPropertyName("facts")]
    public IReadOnlyList<Fact> Facts { get; init; } = [];
}

/// <summary>One fact.</summary>
public sealed record Fact([property: JsonPropertyName("title")] string Title, [property: JsonPropertyName("value")] string Value);

/// <summary>Columns side by side.</summary>
public sealed record ColumnSet : CardElement
{
    /// <summary>The columns.</summary>
    [JsonPropertyName("columns")]
    public IReadOnlyList<Column> Columns { get; init; } = [];
}

/// <summary>A column of a <see cref="ColumnSet"/>.</summary>
public sealed record Column
{
    /// <summary>Always <c>Column</c>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "Column";

    /// <summary><c>auto</c>, <c>stretch</c>, a weight, or pixels such as <c>80px</c>.</summary>
    [JsonPropertyName("width")]
    public string? Width { get; init; }

    /// <summary><c>Top</c>, <c>Center</c>, <c>Bottom</c>.</summary>
    [JsonPropertyName("verticalContentAlignment")]
    public string? VerticalContentAlignment { get; init; }

    /// <summary>Contents.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<CardElement> Items { get; init; } = [];
}

/// <summary>A group of elements, optionally styled and clickable.</summary>
public sealed record Container : CardElement
{
    /// <summary>Contents.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<CardElement> Items { get; init; } = [];

    /// <summary><c>default</c>, <c>emphasis</c>, <c>good</c>, <c>attention</c>, <c>warning</c>, <c>accent</c>.</summary>
    [JsonPropertyName("style")]
    public string? Style { get; init; }

    /// <summary>Bleed into the parent's padding.</summary>
    [JsonPropertyName("bleed")]
    public bool? Bleed { get; init; }

    /// <summary>Action when the container is selected.</summary>
    [JsonPropertyName("selectAction")]
    public CardAction? SelectAction { get; init; }
}

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

/// <summary>A table column's width.</summary>
public sealed record TableColumnDefinition
{
    /// <summary>Relative width.</summary>
    [JsonPropertyName("width")]
    public int Width { get; init; } = 1;
}

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

/// <summary>A table cell.</summary>
public sealed record TableCell
{
    /// <summary>Always <c>TableCell</c>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-10)]
    public string Type { get; } = "TableCell";

    /// <summary>Contents.</summary>
    [JsonPropertyName("items")]
    public IReadOnlyList<CardElement> Items { get; init; } = [];

    /// <summary>Action when the cell is selected.</summary>
    [JsonPropertyName("selectAction")]
    public CardAction? SelectAction { get; init; }
}

/// <summary>An image (HTTPS URL); give informative images <see cref="AltText"/>.</summary>
public sealed record Image : CardElement
{
    /// <summary>Image URL.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    /// <summary>Alternative text.</summary>
    [JsonPropertyName("altText")]
    public string? AltText { get; init; }

    /// <summary><c>Auto</c>, <c>Stretch</c>, <c>Small</c>, <c>Medium</c>, <c>Large</c>.</summary>
    [JsonPropertyName("size")]
    public string? Size { get; init; }
}

/// <summary>Actions inside the body.</summary>
public sealed record ActionSet : CardElement
{
    /// <summary>The actions.</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<CardAction> Actions { get; init; } = [];
}

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

/// <summary>An option of <see cref="InputChoiceSet"/>.</summary>
public sealed record Choice([property: JsonPropertyName("title")] string Title, [property: JsonPropertyName("value")] string Value);

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

/// <summary>A number.</summary>
public sealed record InputNumber : CardInput
{
    /// <summary>Minimum.</summary>
    [JsonPropertyName("min")]
    public double? Min { get; init; }

    /// <summary>Maximum.</summary>
    [JsonPropertyName("max")]
    public double? Max { get; init; }

    /// <summary>Initial value.</summary>
    [JsonPropertyName("value")]
    public double? Value { get; init; }
}

/// <summary>A date (<c>YYYY-MM-DD</c>).</summary>
public sealed record InputDate : CardInput
{
    /// <summary>Minimum date.</summary>
    [JsonPropertyName("min")]
    public string? Min { get; init; }

    /// <summary>Maximum date.</summary>
    [JsonPropertyName("max")]
    public string? Max { get; init; }

    /// <summary>Initial value.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }
}

/// <summary>Base of all card actions.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ActionExecute), "Action.Execute")]
[JsonDerivedType(typeof(ActionSubmit), "Action.Submit")]
[JsonDerivedType(typeof(ActionOpenUrl), "Action.OpenUrl")]
[JsonDerivedType(typeof(ActionShowCard), "Action.ShowCard")]
[JsonDerivedType(typeof(ActionToggleVisibility), "Action.ToggleVisibility")]
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

/// <summary>Universal Action: sends an <c>adaptiveCard/action</c> invoke with <see cref="Verb"/> and <see cref="Data"/>.</summary>
public sealed record ActionExecute : CardAction
{
    /// <summary>The verb the bot routes on.</summary>
    [JsonPropertyName("verb")]
    public required string Verb { get; init; }

    /// <summary>Action data; inputs are merged in. Create with <c>JsonSerializer.SerializeToElement(value, typeInfo)</c>.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary><c>auto</c> or <c>none</c>.</summary>
    [JsonPropertyName("associatedInputs")]
    public string? AssociatedInputs { get; init; }

    /// <summary>
    /// For clients without Universal Actions (an Action.Submit). Declared as the base type so the <c>"type"</c>
    /// discriminator is written.
    /// </summary>
    [JsonPropertyName("fallback")]
    public CardAction? Fallback { get; init; }
}

/// <summary>
/// Submits data: in a bot card Teams posts a <c>message</c> with <c>value</c>; with <c>data.msteams</c> it can
/// be imBack, messageBack or <c>task/fetch</c> (opens a dialog).
/// </summary>
public sealed record ActionSubmit : CardAction
{
    /// <summary>Submitted data, including the optional <c>msteams</c> object.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary><c>auto</c> or <c>none</c>.</summary>
    [JsonPropertyName("associatedInputs")]
    public string? AssociatedInputs { get; init; }
}

/// <summary>Opens a URL; no bot round trip.</summary>
public sealed record ActionOpenUrl : CardAction
{
    /// <summary>The URL.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }
}

/// <summary>Shows a nested card inline.</summary>
public sealed record ActionShowCard : CardAction
{
    /// <summary>The nested card.</summary>
    [JsonPropertyName("card")]
    public required AdaptiveCard Card { get; init; }
}

/// <summary>Shows or hides elements client-side.</summary>
public sealed record ActionToggleVisibility : CardAction
{
    /// <summary>Ids of the elements to toggle.</summary>
    [JsonPropertyName("targetElements")]
    public IReadOnlyList<string> TargetElements { get; init; } = [];
}
