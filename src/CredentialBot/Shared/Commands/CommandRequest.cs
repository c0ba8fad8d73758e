using CredentialBot.BotFramework.Schema;
using CredentialBot.Domain;

namespace CredentialBot.Shared.Commands;

/// <summary>A parsed command: the arguments after the command name, who asked (resolved) and where it was asked.</summary>
/// <remarks><see cref="RawText"/> keeps the message's line breaks (pasted CSV); <see cref="Arguments"/> does not.</remarks>
/// <param name="Arguments">The text after the command name, whitespace collapsed.</param>
/// <param name="Who">The authenticated person, admin membership resolved.</param>
/// <param name="ConversationType">personal, groupChat or channel.</param>
/// <param name="Attachments">The message's attachments (a CSV file).</param>
/// <param name="RawText">The message as sent.</param>
public sealed record CommandRequest(string Arguments, Principal Who, string? ConversationType, IReadOnlyList<Attachment>? Attachments = null, string? RawText = null);
