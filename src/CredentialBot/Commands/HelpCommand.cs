using CredentialBot.Cards;

namespace CredentialBot.Commands;

/// <summary><c>help</c>: a card of every command.</summary>
public sealed class HelpCommand(IServiceProvider services) : IBotCommand
{
    public string Name => CommandNames.Help;

    public string Usage => CommandNames.Help;

    public string Description => "Show what I can do.";

    public Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        // Resolved on use: the table contains this command, so it cannot be a constructor dependency.
        var table = services.GetRequiredService<CommandTable>();
        return Task.FromResult(CommandReply.WithCard(HelpCard.Build(table.Commands)));
    }
}
