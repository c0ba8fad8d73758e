using CredentialBot.Domain;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;

namespace CredentialBot.Status;

/// <summary><c>audit &lt;app&gt;</c>: the App's most recent audit events, for its owners and admins only.</summary>
public sealed class AuditCommand(AppLookup lookup, AccessControl access, AuditLog audit) : IBotCommand
{
    public const int MaxEvents = 15;

    public static CommandInfo Info { get; } = new(
        CommandNames.Audit,
        $"{CommandNames.Audit} *app name or appId*",
        "Show who did what to an app, and what was refused (owners and admins).");

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await lookup.FindAsync(request.Arguments, Info.Name, cancellationToken);
        if (found.App is not { } app)
        {
            return found.Reply!;
        }

        var decision = await access.DecideAsync(request.Who, app, AppRight.ViewAudit, AuditOperation.ViewAudit, cancellationToken);
        if (!decision.Allowed)
        {
            return CommandReply.WithText(CardText.Literal(decision.Explanation, 300));
        }

        var events = await audit.ListForAppAsync(app.ObjectId, MaxEvents, cancellationToken);
        return CommandReply.WithCard(AuditCard.Build(app, events));
    }
}
