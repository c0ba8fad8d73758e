using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Commands;

/// <summary>A parsed command: the arguments after the command name, the actor and where it was asked.</summary>
/// <remarks><see cref="RawText"/> keeps the message's line breaks (pasted CSV); <see cref="Arguments"/> does not.</remarks>
public sealed record CommandRequest(string Arguments, Actor Actor, string? ConversationType, IReadOnlyList<BotFramework.Schema.Attachment>? Attachments = null, string? RawText = null);

/// <summary>
/// What a command answers: a card, or a short text. <see cref="AfterSent"/>, when set, is told where the answer was
/// posted (to redraw it later from background work).
/// </summary>
public sealed record CommandReply(AdaptiveCard? Card, string? Text)
{
    public Action<Actions.PostedCard>? AfterSent { get; init; }

    public static CommandReply WithCard(AdaptiveCard card) => new(card, null);

    public static CommandReply WithText(string text) => new(null, text);
}

/// <summary>One bot command. Each is its own class, registered in DI and found through <see cref="CommandTable"/>.</summary>
public interface IBotCommand
{
    /// <summary>The command name, possibly several words (e.g. "my apps"); matched case-insensitively.</summary>
    string Name { get; }

    /// <summary>How to call it, e.g. "status &lt;app name or appId&gt;".</summary>
    string Usage { get; }

    /// <summary>One sentence for the help card and the manifest.</summary>
    string Description { get; }

    Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken);
}
