using CredentialBot.Actions;
using CredentialBot.Cards;
using CredentialBot.Domain;
using CredentialBot.Store;
using Microsoft.Extensions.Options;

namespace CredentialBot.Commands;

/// <summary>
/// <c>status &lt;app name or appId&gt;</c>: one App's credentials, owners and findings, with the actions the person
/// asking may take (Rotate now or Request elevation, Add owner, Transfer).
/// </summary>
public sealed class StatusCommand(AppLookup lookup, PolicyStore policies, AccessControl access, SecretRemovalStore removals, IOptions<CardOptions> cards, TimeProvider time) : IBotCommand
{
    public const int MaxQueryLength = AppLookup.MaxQueryLength;

    public string Name => CommandNames.Status;

    public string Usage => $"{CommandNames.Status} *app name or appId*";

    public string Description => "Show an app's secrets and certificates with days left, its owners by kind, and what its policy finds wrong.";

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (app, reply) = await lookup.FindAsync(request.Arguments, Name, cancellationToken).ConfigureAwait(false);
        if (app is null)
        {
            return reply!;
        }

        var policy = await policies.GetPolicyForAsync(app, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        var actions = new StatusActions(
            (await access.MayAsync(who, app, AppRight.ManageCredentials, cancellationToken).ConfigureAwait(false)).Allowed,
            app.IsOwnedBy(who.ObjectId),
            cards.Value.Buttons);
        return CommandReply.WithCard(StatusCard.Build(app, policy, PolicyEvaluator.Evaluate(app, policy, now), now, actions, removals: await removals.ScheduledForAsync(app.ObjectId, cancellationToken).ConfigureAwait(false)));
    }
}
