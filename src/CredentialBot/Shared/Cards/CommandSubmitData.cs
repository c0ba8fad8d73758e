using System.Text.Json.Serialization;

namespace CredentialBot.Shared.Cards;

/// <summary>
/// Action.Submit data that runs a command. Teams (and the Agents Playground) post it back as a message whose
/// <c>value</c> is this object; the message route treats <see cref="Command"/> exactly like typed text, so it gets
/// no more trust than typing. Chosen over <c>msteams.imBack</c>, which the Playground does not support.
/// </summary>
public sealed record CommandSubmitData([property: JsonPropertyName("command")] string Command);
