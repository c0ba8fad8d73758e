using CredentialBot.Actions;
using CredentialBot.Cards;
using CredentialBot.Domain;

namespace CredentialBot.Commands;

/// <summary><c>audit &lt;app&gt;</c>: the App's most recent audit events, for its owners and admins only.</summary>
public sealed class AuditCommand(AppLookup lookup, AccessControl access, AuditLog audit) : IBotCommand
{
    public const int MaxEvents = 15;

    public string Name => CommandNames.Audit;

    public string Usage => $"{CommandNames.Audit} *app name or appId*";

    public string Description => "Show who did what to an app, and what was refused (owners and admins).";

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (app, reply) = await lookup.FindAsync(request.Arguments, Name, cancellationToken).ConfigureAwait(false);
        if (app is null)
        {
            return reply!;
        }

        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        var decision = await access.DecideAsync(who, app, AppRight.ViewAudit, AuditOperations.ViewAudit, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return CommandReply.WithText(CardText.Literal(decision.Explanation, 300));
        }

        var events = await audit.ListForAppAsync(app.ObjectId, MaxEvents, cancellationToken).ConfigureAwait(false);
        return CommandReply.WithCard(AuditCard.Build(app, events));
    }
}
