using CredentialBot.Admin.Scopes;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Policies;

/// <summary>
/// <c>policy &lt;name&gt;</c> (admins): one policy, with an Edit dialog. A scoped admin sees only a policy of their
/// scope, with Edit only where they may edit it; asking for another is refused and audited.
/// </summary>
public sealed class PolicyCommand(PolicyStore policies, IOptions<CardOptions> cards, AdminScopeResolver scopes, ScopedPolicies scoped, AuditTrail audit) : IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.Policy, $"{CommandNames.Policy} *name*", "Admins: show a policy and edit it.", AdminOnly: true, ScopedAdmins: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Arguments.Trim();
        if (!request.Who.IsAdmin)
        {
            return await ScopedAsync(request, name, cancellationToken);
        }

        var all = await policies.ListAsync(cancellationToken);
        var policy = all.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        if (policy is null)
        {
            return CommandReply.WithText($"There is no policy named '{CardText.Literal(request.Arguments, 80)}'. Policies: {string.Join(", ", all.Select(p => p.Name))}.");
        }

        var assignments = await policies.AssignmentsAsync(cancellationToken);
        return CommandReply.WithCard(PolicyCards.Show(policy, assignments.GetValueOrDefault(policy.Name) ?? [], cards.Value.Buttons));
    }

    private async Task<CommandReply> ScopedAsync(CommandRequest request, string name, CancellationToken cancellationToken)
    {
        var mine = await scopes.ScopesOfAsync(request.Who, cancellationToken);
        var views = await scoped.ViewAsync(mine, cancellationToken);
        if (views.FirstOrDefault(v => string.Equals(v.Policy.Name, name, StringComparison.OrdinalIgnoreCase)) is { } view)
        {
            return CommandReply.WithCard(PolicyCards.Show(view.Policy, view.AssignedTo, cards.Value.Buttons, editRefusal: view.EditRefusal));
        }

        // Whether the policy exists elsewhere is not the scoped admin's to learn; the attempt is audited either way.
        await audit.RefusedAsync(request.Who, null, AuditOperation.AdminCommand(CommandNames.Policy), $"Policy '{CardText.Literal(name, 80)}' is not a policy of scope {ScopedCompliance.Describe(mine)}", cancellationToken);
        return CommandReply.WithText($"No policy named '{CardText.Literal(name, 80)}' governs the apps of your scope ({CardText.Literal(ScopedCompliance.Describe(mine), 200)}). Yours: {(views.Count == 0 ? "none" : string.Join(", ", views.Select(v => v.Policy.Name)))}.");
    }
}
