using System.Text.Json.Serialization;

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
    [property: JsonPropertyName("digest")] IReadOnlyList<string> Digest);

/// <summary>Source-generated JSON for the host's own card data records.</summary>
[JsonSerializable(typeof(CommandSubmitData))]
[JsonSerializable(typeof(SnoozeActionData))]
internal sealed partial class CardsJsonContext : JsonSerializerContext;
