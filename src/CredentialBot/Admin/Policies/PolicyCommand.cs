using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Policies;

/// <summary><c>policy &lt;name&gt;</c> (admins): one policy, with an Edit dialog.</summary>
public sealed class PolicyCommand(PolicyStore policies, IOptions<CardOptions> cards) : IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.Policy, $"{CommandNames.Policy} *name*", "Admins: show a policy and edit it.", AdminOnly: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await policies.ListAsync(cancellationToken);
        var policy = all.FirstOrDefault(p => string.Equals(p.Name, request.Arguments.Trim(), StringComparison.OrdinalIgnoreCase));
        if (policy is null)
        {
            return CommandReply.WithText($"There is no policy named '{CardText.Literal(request.Arguments, 80)}'. Policies: {string.Join(", ", all.Select(p => p.Name))}.");
        }

        var assignments = await policies.AssignmentsAsync(cancellationToken);
        return CommandReply.WithCard(PolicyCards.Show(policy, assignments.GetValueOrDefault(policy.Name) ?? [], cards.Value.Buttons));
    }
}
