using CredentialBot.BotFramework.Routing;
using CredentialBot.Domain;
using CredentialBot.Shared.Access;

namespace CredentialBot.Shared.Pipeline;

/// <summary>
/// The one way a person's interaction runs — a card button (<see cref="CardActionRoute{TData, TAction}"/>), a dialog
/// step (<see cref="Dialogs.DialogRunner"/>) or a command (<see cref="Commands.CommandRunner"/>): who is acting comes
/// from the authenticated activity, admin membership resolved, then the feature's own step decides, acts, audits
/// (through <see cref="Audit.AuditTrail"/>) and answers. Making an action and its audit events commit in one
/// transaction (issue 11.5), or making confirm buttons one-shot, is a change here, for every interaction at once: the
/// store's <c>AuditedChange</c> joins every event <see cref="Audit.AuditTrail"/> writes while it is open (on SQLite it
/// holds the write lock, so it belongs around the store writes, after any Graph call).
/// </summary>
public sealed class InteractionPipeline(AccessControl access)
{
    public async Task<TAnswer> RunAsync<TAnswer>(Actor actor, Func<Principal, CancellationToken, Task<TAnswer>> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var who = await access.PrincipalOfAsync(actor, cancellationToken);
        return await step(who, cancellationToken);
    }
}
