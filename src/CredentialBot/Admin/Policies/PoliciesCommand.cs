using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Policies;

/// <summary><c>policies</c> (admins): every policy with its stages, owner minimums and assignments.</summary>
public sealed class PoliciesCommand(PolicyStore policies) : IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.Policies, CommandNames.Policies, "Admins: list the policies and what each is assigned to.", AdminOnly: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken) =>
        CommandReply.WithCard(PolicyCards.List(await policies.ListAsync(cancellationToken), await policies.AssignmentsAsync(cancellationToken)));
}
