using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Elevation;

/// <summary><c>elevate &lt;app&gt;</c>: a card whose buttons open the elevation dialog for that App.</summary>
public sealed class ElevateCommand(AppLookup lookup, PolicyStore policies, IOptions<CardOptions> cards) : IBotCommand
{
    public static CommandInfo Info { get; } = new(
        CommandNames.Elevate,
        $"{CommandNames.Elevate} *app name or appId*",
        "Ask an app's owners for time-bound rights to rotate its credentials or manage its owners.");

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await lookup.FindAsync(request.Arguments, Info.Name, cancellationToken);
        if (found.App is not { } app)
        {
            return found.Reply!;
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        return CommandReply.WithCard(CardParts.Card(
            [
                CardParts.Heading($"Elevation on {CardText.Literal(app.DisplayName, 80)}"),
                CardParts.Text($"Policy {CardText.Literal(policy.Name)} allows up to {ElevationRules.Describe(policy.Elevation.MaximumDuration)}"
                    + (policy.Elevation.TicketRequired ? " and needs a ticket number." : ".")
                    + " An owner or an admin approves it."),
            ],
            [
                CardParts.OpenDialog("Request rights to rotate credentials", DialogNames.Elevate, app.ObjectId, mode: nameof(AppRight.ManageCredentials), buttons: cards.Value.Buttons),
                CardParts.OpenDialog("Request rights to manage owners", DialogNames.Elevate, app.ObjectId, mode: nameof(AppRight.ManageOwners), buttons: cards.Value.Buttons),
            ]));
    }
}
