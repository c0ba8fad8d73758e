using CredentialBot.BotFramework.Routing;
using CredentialBot.Domain;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;

namespace CredentialBot.Shared.Pipeline;

/// <summary>
/// The one way a person's interaction runs — a card button (<see cref="CardActionRoute{TData, TAction}"/>), a dialog
/// step (<see cref="Dialogs.DialogRunner"/>) or a command (<see cref="Commands.CommandRunner"/>): who is acting comes
/// from the authenticated activity, admin membership resolved, then the feature's own step decides, acts, audits
/// (through <see cref="AuditTrail"/>) and answers. A step that opened an audited change
/// (<see cref="AuditTrail.BeginChangeAsync"/>, just before its store writes) has it committed here once it answered,
/// so its writes and its events land together; a step that threw has it rolled back, so neither lands. A commit that
/// fails (no event recorded, the database refused the event) throws: the person gets the generic error, not the
/// step's "done", and nothing is stored.
/// </summary>
public sealed class InteractionPipeline(AccessControl access, AuditTrail audit)
{
    public async Task<TAnswer> RunAsync<TAnswer>(Actor actor, Func<Principal, CancellationToken, Task<TAnswer>> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var who = await access.PrincipalOfAsync(actor, cancellationToken);
        try
        {
            var answer = await step(who, cancellationToken);
            await audit.CommitChangeAsync(cancellationToken);
            return answer;
        }
        finally
        {
            await audit.AbandonChangeAsync();
        }
    }
}
