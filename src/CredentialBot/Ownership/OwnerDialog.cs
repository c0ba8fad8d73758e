using CredentialBot.Domain;
using CredentialBot.Requests;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Ownership;

/// <summary>
/// Add an owner, transfer ownership ("replace me", or replace a disabled owner), or remove an owner. The person is
/// resolved in the directory; unknown and disabled people are refused. Entra owners and admins add directly; other
/// additions and every transfer (except an admin's) go to another owner or an admin for approval. Removal needs the
/// right to manage owners (or is the person leaving themselves) and never drops a kind below the policy's minimum.
/// Adding an Entra owner directly needs an Entra owner (by ownership) or an admin: an elevation grant to manage owners
/// does not hand out Entra ownership, which is every right; such a request goes to approval like anyone's. A transfer
/// is one-shot: its form's confirm id is consumed before anything is asked or changed.
/// </summary>
public sealed class OwnerDialog(PolicyStore policies, AccessControl access, AuditTrail audit, Approvals approvals, OwnerChanges ownerChanges, ITenantDirectory directory, TimeProvider time) : IDialog
{
    private const int MaxPersonLength = 256;

    public static string Name => DialogNames.Owner;

    public static bool ActsOnAnApp => true;

    public Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mode = OwnerModes.Of(request.Data.Mode);
        return Task.FromResult(DialogAnswer.Show("Owners", OwnershipCards.OwnerForm(request.App, mode, Submit(request.App, mode, request.Data.Subject, CardParts.NewConfirmId()))));
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (who, app) = (request.Who, request.App);
        var mode = OwnerModes.Of(request.Data.Mode);
        var operation = mode switch { OwnerModes.Transfer => AuditOperation.TransferOwnership, OwnerModes.Remove => AuditOperation.RemoveOwner, _ => AuditOperation.AddOwner };
        var asked = request.Input("person") ?? string.Empty;
        var reason = request.Input("reason");
        var kindChoice = OwnerKindChoice.Find(request.Input("kind"));
        DialogAnswer Again(string problem) => DialogAnswer.Show("Owners", OwnershipCards.OwnerForm(app, mode, Submit(app, mode, request.Data.Subject, request.Data.Confirm), [problem], asked.Length <= MaxPersonLength ? asked : null));

        if (kindChoice is null)
        {
            await audit.RefusedAsync(who, app.ObjectId, operation, "Unknown owner kind", cancellationToken);
            return Again("Choose the kind of owner.");
        }

        if (asked.Length is 0 or > MaxPersonLength)
        {
            return Again("Name the person by user principal name or email address.");
        }

        var person = await directory.FindPersonAsync(asked, cancellationToken);
        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        if (mode == OwnerModes.Remove)
        {
            if (person is null)
            {
                return Again($"Nobody in the directory matches '{asked}'.");
            }

            var leavingThemselves = person.ObjectId == who.ObjectId;
            if (!leavingThemselves && !(await access.DecideAsync(who, app, AppRight.ManageOwners, operation, cancellationToken)).Allowed)
            {
                return DialogAnswer.Close($"Only Entra owners of {app.DisplayName}, admins, or someone with an active elevation to manage its owners can remove another owner; nothing was changed.");
            }

            var (removed, removal) = await ownerChanges.RemoveAsync(app, policy, person.ObjectId, kindChoice.Kind, who, reason, cancellationToken);
            return removed ? DialogAnswer.Close(removal) : Again(removal);
        }

        var candidate = OwnershipRules.CheckCandidate(person, asked);
        if (!candidate.Allowed)
        {
            await audit.RefusedAsync(who, app.ObjectId, operation, candidate.Explanation, cancellationToken);
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
                await audit.RefusedAsync(who, app.ObjectId, operation, $"Transfer of an ownership that is not the requester's or an inactive owner's ({replaces})", cancellationToken);
                return Again(replaces == who.ObjectId
                    ? $"You are not a {OwnershipRules.KindName(kindChoice.Kind)} owner of {app.DisplayName}, so there is nothing of that kind to transfer."
                    : "Only your own ownership, or that of a disabled or deleted owner, can be transferred.");
            }
        }

        if (mode == OwnerModes.Transfer
            && await audit.ConfirmBeforeCallingOutAsync(who, app.ObjectId, operation, request.Data.Confirm, $"Transferring to {person!.DisplayName}", cancellationToken) is { } again)
        {
            return DialogAnswer.Close(again);
        }

        var change = new OwnerChange(person!.ObjectId, person.DisplayName, person.UserPrincipalName ?? person.Mail, kindChoice.Kind, kindChoice.ManageCredentials, replaces);
        var direct = mode == OwnerModes.Add
            ? kindChoice.Kind == OwnerKind.Entra
                ? Authorizer.Decide(who, app, AppRight.ManageOwners, [], time.GetUtcNow()).Allowed // grants deliberately not passed
                : (await access.MayAsync(who, app, AppRight.ManageOwners, cancellationToken)).Allowed
            : who.IsAdmin;
        if (direct)
        {
            var (_, message) = await ownerChanges.ApplyAsync(app, change, who, reason, null, cancellationToken);
            return DialogAnswer.Close(message);
        }

        var now = time.GetUtcNow();
        var draft = new AccessRequest(0, mode == OwnerModes.Transfer ? AccessRequestKind.TransferOwnership : AccessRequestKind.AddOwner, app.ObjectId, who.ObjectId, who.DisplayName, null, null, reason, null, change, AccessRequestStatus.Pending, now, now + AccessRequest.DecisionWindow);
        return DialogAnswer.Close(await approvals.SubmitAsync(draft, app, policy, who, cancellationToken));
    }

    private static DialogData Submit(App app, string mode, string? key, string? confirm) => new(null, DialogNames.Owner, app.ObjectId, key, mode, Confirm: confirm);
}
