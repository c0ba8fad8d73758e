using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.AppRequests;

/// <summary><c>request app</c>: the form to ask admins for a new app registration, or why it cannot be asked for here.</summary>
public sealed class RequestAppCommand(IOptions<AppRequestsOptions> options, PolicyStore policies, AuditTrail audit) : IBotCommand
{
    public const string TurnedOff = "Requesting new app registrations from Teams is turned off here. Ask your CredentialBot admins to create the app, or to turn on AppRequests:Enabled.";

    public static CommandInfo Info { get; } = new(
        CommandNames.RequestApp,
        CommandNames.RequestApp,
        "Ask the admins for a new app registration: name, purpose, owners and policy; once approved, CredentialBot creates it and you create its first secret.");

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!options.Value.Enabled)
        {
            await audit.RefusedAsync(request.Who, null, AuditOperation.RequestApp, "Requesting apps is turned off", cancellationToken);
            return CommandReply.WithCard(NoticeCard.Build("Requesting apps is turned off", TurnedOff));
        }

        var names = (await policies.ListAsync(cancellationToken)).Select(p => p.Name).ToList();
        return CommandReply.WithCard(InlineDialogs.Inline(AppRequestCards.Form(AppRequestInput.Empty, names, CardParts.NewConfirmId())));
    }
}
