using CredentialBot.Actions;
using CredentialBot.Cards;
using CredentialBot.Domain;

namespace CredentialBot.Dialogs;

/// <summary>
/// Add an owner, transfer ownership ("replace me", or replace a disabled owner), or remove an owner. The person is
/// resolved in the directory; unknown and disabled people are refused. Entra owners and admins add directly; other
/// additions and every transfer (except an admin's) go to another owner or an admin for approval. Removal needs the
/// right to manage owners (or is the person leaving themselves) and never drops a kind below the policy's minimum.
/// </summary>
public sealed class OwnerDialog(AppCatalog catalog, PolicyStore policies, AccessControl access, Approvals approvals, OwnerChanges ownerChanges, ITenantDirectory directory, TimeProvider time) : IDialog
{
    private const int MaxPersonLength = 256;

    public string Name => DialogNames.Owner;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await catalog.GetAsync(request.Data.App, cancellationToken).ConfigureAwait(false) is not { } app)
        {
            return DialogAnswer.Close("That app is no longer in the catalog.");
        }

        var mode = ModeOf(request.Data.Mode);
        return DialogAnswer.Show("Owners", ActionCards.OwnerForm(app, mode, Submit(app, mode, request.Data.Subject)));
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = await access.PrincipalOfAsync(request.Actor, cancellationToken).ConfigureAwait(false);
        if (who.ObjectId.Length == 0)
        {
            return DialogAnswer.Close("Teams did not say who you are, so nothing was changed.");
        }

        if (await catalog.GetAsync(request.Data.App, cancellationToken).ConfigureAwait(false) is not { } app)
        {
            return DialogAnswer.Close("That app is no longer in the catalog; nothing was changed.");
        }

        var mode = ModeOf(request.Data.Mode);
        var operation = mode switch { OwnerModes.Transfer => AuditOperations.TransferOwnership, OwnerModes.Remove => AuditOperations.RemoveOwner, _ => AuditOperations.AddOwner };
        var asked = request.Input("person") ?? string.Empty;
        var reason = request.Input("reason");
        var kindChoice = ActionCards.OwnerKindChoices.FirstOrDefault(c => c.Value == request.Input("kind"));
        DialogAnswer Again(string problem) => DialogAnswer.Show("Owners", ActionCards.OwnerForm(app, mode, Submit(app, mode, request.Data.Subject), [problem], asked.Length <= MaxPersonLength ? asked : null));

        if (kindChoice.Value is null)
        {
            await access.RefusedAsync(who, app.ObjectId, operation, "Unknown owner kind", null, cancellationToken).ConfigureAwait(false);
            return Again("Choose the kind of owner.");
        }

        if (asked.Length is 0 or > MaxPersonLength)
        {
            return Again("Name the person by user principal name or email address.");
        }

        var person = await directory.FindPersonAsync(asked, cancellationToken).ConfigureAwait(false);
        var policy = await policies.GetPolicyForAsync(app, cancellationToken).ConfigureAwait(false);
        if (mode == OwnerModes.Remove)
        {
            if (person is null)
            {
                return Again($"Nobody in the directory matches '{asked}'.");
            }

            var leavingThemselves = person.ObjectId == who.ObjectId;
            if (!leavingThemselves && !(await access.DecideAsync(who, app, AppRight.ManageOwners, operation, cancellationToken).ConfigureAwait(false)).Allowed)
            {
                return DialogAnswer.Close($"Only Entra owners of {app.DisplayName}, admins, or someone with an active elevation to manage its owners can remove another owner; nothing was changed.");
            }

            var (removed, removal) = await ownerChanges.RemoveAsync(app, policy, person.ObjectId, kindChoice.Kind, who, reason, cancellationToken).ConfigureAwait(false);
            return removed ? DialogAnswer.Close(removal) : Again(removal);
        }

        var candidate = OwnershipRules.CheckCandidate(person, asked);
        if (!candidate.Allowed)
        {
            await access.RefusedAsync(who, app.ObjectId, operation, candidate.Explanation, null, cancellationToken).ConfigureAwait(false);
            return Again(candidate.Explanation);
        }

        var addition = OwnershipRules.CheckAddition(app, person!, kindChoice.Kind, kindChoice.ManageCredentials);
        if (!addition.Allowed)
        {
            return Again(addition.Explanation);
        }

        string? replaces = null;
        if (mode == OwnerModes.Transfer)
        {
            // "Replace me" by default; the card of a disabled or deleted owner names the one to replace.
            replaces = request.Data.Subject is { Length: > 0 } named ? named : who.ObjectId;
            var replaced = app.OwnersOf(kindChoice.Kind).FirstOrDefault(o => o.ObjectId == replaces);
            if (replaced is null || (replaces != who.ObjectId && !replaced.IsInactive))
            {
                await access.RefusedAsync(who, app.ObjectId, operation, $"Transfer of an ownership that is not the requester's or an inactive owner's ({replaces})", null, cancellationToken).ConfigureAwait(false);
                return Again(replaces == who.ObjectId
                    ? $"You are not a {OwnershipRules.KindName(kindChoice.Kind)} owner of {app.DisplayName}, so there is nothing of that kind to transfer."
                    : "Only your own ownership, or that of a disabled or deleted owner, can be transferred.");
            }
        }

        var change = new OwnerChange(person!.ObjectId, person.DisplayName, person.UserPrincipalName ?? person.Mail, kindChoice.Kind, kindChoice.ManageCredentials, replaces);
        var direct = mode == OwnerModes.Add
            ? (await access.MayAsync(who, app, AppRight.ManageOwners, cancellationToken).ConfigureAwait(false)).Allowed
            : who.IsAdmin;
        if (direct)
        {
            var (_, message) = await ownerChanges.ApplyAsync(app, change, who, reason, null, cancellationToken).ConfigureAwait(false);
            return DialogAnswer.Close(message);
        }

        var now = time.GetUtcNow();
        var draft = new AccessRequest(0, mode == OwnerModes.Transfer ? AccessRequestKind.TransferOwnership : AccessRequestKind.AddOwner, app.ObjectId, who.ObjectId, who.DisplayName, null, null, reason, null, change, AccessRequestStatus.Pending, now, now + AccessRequest.DecisionWindow);
        return DialogAnswer.Close(await approvals.SubmitAsync(draft, app, policy, who, cancellationToken).ConfigureAwait(false));
    }

    private static string ModeOf(string? mode) => mode is OwnerModes.Transfer or OwnerModes.Remove ? mode : OwnerModes.Add;

    private static DialogData Submit(App app, string mode, string? key) => new(null, DialogNames.Owner, app.ObjectId, key, mode);
}
