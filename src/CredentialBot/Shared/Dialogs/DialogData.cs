using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Shared.Dialogs;

/// <summary>
/// Data of a button that opens a dialog, and of the dialog's own submit button: which dialog, which App, and
/// optionally the dialog's subject (a credential's key id, an owner to replace, a policy's name) and mode. Untrusted:
/// every dialog re-reads the App and re-authorizes the sender on submit. <see cref="Open"/> asks to open the named
/// dialog from inside another one. <see cref="Card"/> is the message the dialog was opened from, so it can be redrawn
/// for everyone after the change. <see cref="Confirm"/> is a confirm-type dialog's one-time id, drawn on its form: the
/// first submit acts, any later one (a double click, a retry, a second person) changes nothing. No property is named "key": the Agents Playground silently drops an Action.Execute
/// whose data has one.
/// </summary>
public sealed record DialogData(
    [property: JsonPropertyName("msteams")] TaskFetchMarker? MsTeams,
    [property: JsonPropertyName("dialog")] string Dialog,
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("subject")] string? Subject = null,
    [property: JsonPropertyName("mode")] string? Mode = null,
    [property: JsonPropertyName("open")] bool? Open = null,
    [property: JsonPropertyName("card")] string? Card = null,
    [property: JsonPropertyName("confirm")] string? Confirm = null) : IWellFormed
{
    /// <summary>
    /// What the person entered, merged into the data by Teams on submit (input id → value); never written into a card.
    /// Settable: the source generator cannot bind extension data through an initializer.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Inputs { get; set; }

    /// <summary>True when this is a dialog button that the client posted as a message instead of opening the dialog.</summary>
    public bool IsUnopenedDialogButton() => MsTeams?.Type == InvokeNames.TaskFetch && Dialog is not null;

    public bool IsWellFormed() =>
        Dialog is { Length: > 0 and <= 40 } && App is { Length: > 0 and <= 128 }
        && Subject is null or { Length: <= 128 } && Mode is null or { Length: <= 20 } && Card is null or { Length: <= 256 } && Confirm is null or { Length: <= 64 };
}
