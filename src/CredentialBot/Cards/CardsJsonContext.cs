using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Cards;

/// <summary>
/// Action.Submit data that runs a command. Teams (and the Agents Playground) post it back as a message whose
/// <c>value</c> is this object; the message handler treats <see cref="Command"/> exactly like typed text, so it gets
/// no more trust than typing. Chosen over <c>msteams.imBack</c>, which the Playground does not support.
/// </summary>
public sealed record CommandSubmitData([property: JsonPropertyName("command")] string Command);

/// <summary>
/// Data of the digest's "Snooze" button (Action.Execute verb <c>snooze</c>): which App and credentials, and the
/// Apps of the digest it sits on, so the handler can redraw it from the store (only ids: every button carries them,
/// and cards must stay under 28 KB). All of it is untrusted: the handler checks the App exists, the credentials
/// are the App's, and the person pressing is one of its owners.
/// </summary>
public sealed record SnoozeActionData(
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("keys")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("days")] int Days,
    [property: JsonPropertyName("digest")] IReadOnlyList<string> Digest) : IWellFormed
{
    /// <summary>At most this many credentials per button: an App's digest entry never lists more.</summary>
    public const int MaxKeys = 20;

    public bool IsWellFormed() =>
        App is { Length: > 0 and <= 128 }
        && Keys is { Count: > 0 and <= MaxKeys } && Keys.All(k => k is { Length: > 0 and <= 128 })
        && Digest is { Count: <= DigestCard.MaxApps } && Digest.All(a => a is { Length: > 0 and <= 128 });
}

/// <summary>How buttons that open a dialog are drawn (setting <c>Cards:DialogButtons</c>).</summary>
public enum DialogButtons
{
    /// <summary>Teams: the button opens a dialog (task module).</summary>
    TaskModule,

    /// <summary>
    /// Clients without dialogs, such as the Microsoft 365 Agents Playground: the button shows the dialog inside the card
    /// through Action.Execute, and each step's answer replaces it for the person who clicked.
    /// </summary>
    Inline,
}

/// <summary>Section "Cards".</summary>
public sealed class CardOptions
{
    public const string SectionName = "Cards";

    /// <summary>How dialog buttons are drawn; local mode (the Playground) defaults to <see cref="DialogButtons.Inline"/>.</summary>
    public DialogButtons? DialogButtons { get; set; }

    /// <summary>The style in force (set at start-up when not configured).</summary>
    public DialogButtons Buttons => DialogButtons ?? Cards.DialogButtons.TaskModule;
}

/// <summary>The <c>msteams</c> marker that makes an Action.Submit open a dialog (<c>task/fetch</c>).</summary>
public sealed record TaskFetchMarker([property: JsonPropertyName("type")] string Type)
{
    public static TaskFetchMarker Instance { get; } = new("task/fetch");
}

/// <summary>
/// Data of a button that opens a dialog, and of the dialog's own submit button: which dialog, which App, and
/// optionally which credential, mode or request. Untrusted: every dialog re-reads the App and re-authorizes the
/// sender on submit. <see cref="Open"/> asks to open the named dialog from inside another one. <see cref="Card"/> is
/// the message the dialog was opened from, so it can be redrawn for everyone after the change. No property is named
/// "key": the Agents Playground silently drops an Action.Execute whose data has one.
/// </summary>
public sealed record DialogData(
    [property: JsonPropertyName("msteams")] TaskFetchMarker? MsTeams,
    [property: JsonPropertyName("dialog")] string Dialog,
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("subject")] string? Subject = null,
    [property: JsonPropertyName("mode")] string? Mode = null,
    [property: JsonPropertyName("open")] bool? Open = null,
    [property: JsonPropertyName("card")] string? Card = null) : IWellFormed
{
    /// <summary>
    /// What the person entered, merged into the data by Teams on submit (input id → value); never written into a card.
    /// Settable: the source generator cannot bind extension data through an initializer.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Inputs { get; set; }

    /// <summary>True when the button was a dialog button that the client posted instead of opening the dialog.</summary>
    public bool IsUnopenedDialogButton() => MsTeams?.Type == BotFramework.Invokes.InvokeNames.TaskFetch && Dialog is not null;

    public bool IsWellFormed() =>
        Dialog is { Length: > 0 and <= 40 } && App is { Length: > 0 and <= 128 }
        && Subject is null or { Length: <= 128 } && Mode is null or { Length: <= 20 } && Card is null or { Length: <= 256 };
}

/// <summary>Data of Approve, Deny and the refresh of a request card: only the request's id.</summary>
public sealed record RequestActionData([property: JsonPropertyName("request")] long Request) : IWellFormed
{
    public bool IsWellFormed() => Request > 0;
}

/// <summary>Data of "Import N owners": the CSV itself, validated again (and the sender checked) on confirm.</summary>
public sealed record ImportActionData([property: JsonPropertyName("csv")] string Csv) : IWellFormed
{
    public bool IsWellFormed() => Csv is { Length: > 0 and <= Admin.ImportOwnersCommand.MaxInlineCsvBytes };
}

/// <summary>Data of a shared status card's refresh: which App.</summary>
public sealed record AppActionData([property: JsonPropertyName("app")] string App) : IWellFormed
{
    public bool IsWellFormed() => App is { Length: > 0 and <= 128 };
}

/// <summary>Data of "Keep the old secret": cancels a scheduled removal.</summary>
public sealed record RemovalActionData([property: JsonPropertyName("app")] string App, [property: JsonPropertyName("credential")] string KeyId) : IWellFormed
{
    public bool IsWellFormed() => App is { Length: > 0 and <= 128 } && KeyId is { Length: > 0 and <= 128 };
}

/// <summary>Source-generated JSON for the host's own card data records.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DialogData))]
[JsonSerializable(typeof(RequestActionData))]
[JsonSerializable(typeof(RemovalActionData))]
[JsonSerializable(typeof(AppActionData))]
[JsonSerializable(typeof(ImportActionData))]
[JsonSerializable(typeof(CommandSubmitData))]
[JsonSerializable(typeof(SnoozeActionData))]
internal sealed partial class CardsJsonContext : JsonSerializerContext;
