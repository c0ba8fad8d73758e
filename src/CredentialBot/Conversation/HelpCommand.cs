using CredentialBot.Shared.Commands;

namespace CredentialBot.Conversation;

/// <summary><c>help</c>: a card of every command, built from the command table so it can never drift from it.</summary>
public sealed class HelpCommand(CommandTable table) : IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.Help, CommandNames.Help, "Show what I can do.");

    public Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(CommandReply.WithCard(HelpCard.Build(table.Commands)));
}
