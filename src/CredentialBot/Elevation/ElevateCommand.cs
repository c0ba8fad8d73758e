using CredentialBot.Domain;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Elevation;

/// <summary>
/// <c>elevate &lt;app&gt;</c>: the elevation form for that App, in one step, asking for the right the person lacks
/// (rotating credentials, or managing owners when they can already rotate); the form still lets them pick the other.
/// Someone who already has both is told so.
/// </summary>
public sealed class ElevateCommand(AppLookup lookup, PolicyStore policies, AccessControl access) : IBotCommand
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

        AppRight? lacking = !(await access.MayAsync(request.Who, app, AppRight.ManageCredentials, cancellationToken)).Allowed ? AppRight.ManageCredentials
            : !(await access.MayAsync(request.Who, app, AppRight.ManageOwners, cancellationToken)).Allowed ? AppRight.ManageOwners
            : null;
        if (lacking is not { } right)
        {
            return CommandReply.WithCard(NoticeCard.Build(
                "No elevation needed",
                $"You can already rotate the credentials and manage the owners of {CardText.Literal(app.DisplayName, 80)}."));
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        return CommandReply.WithCard(InlineDialogs.Inline(ElevationCards.ElevateForm(app, policy, right, new DialogData(null, DialogNames.Elevate, app.ObjectId))));
    }
}
