using CredentialBot.Admin.Scopes;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;

namespace CredentialBot.Admin.Policies;

/// <summary>
/// <c>policies</c> (admins): every policy with its stages, owner minimums and assignments. A scoped admin sees only the
/// policies of their scope (<see cref="ScopedPolicies"/>).
/// </summary>
public sealed class PoliciesCommand(PolicyStore policies, AdminScopeResolver scopes, ScopedPolicies scoped) : IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.Policies, CommandNames.Policies, "Admins: list the policies and what each is assigned to.", AdminOnly: true, ScopedAdmins: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Who.IsAdmin)
        {
            return CommandReply.WithCard(PolicyCards.List(await policies.ListAsync(cancellationToken), await policies.AssignmentsAsync(cancellationToken)));
        }

        var mine = await scopes.ScopesOfAsync(request.Who, cancellationToken);
        var views = await scoped.ViewAsync(mine, cancellationToken);
        return CommandReply.WithCard(PolicyCards.List(
            [.. views.Select(v => v.Policy)],
            views.ToDictionary(v => v.Policy.Name, v => v.AssignedTo, StringComparer.Ordinal),
            ScopedCompliance.Describe(mine)));
    }
}
