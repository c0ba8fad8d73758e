using System.Globalization;
using CredentialBot.Domain;
using CredentialBot.Requests;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Store.Services;

namespace CredentialBot.Elevation;

/// <summary>
/// "Request elevation": the right (manage credentials or owners), a duration within the policy, a justification and,
/// where the policy says, a ticket. Valid requests go to approvers (<see cref="Approvals"/>); a policy that does not
/// require approval grants at once. Anything outside the policy is refused with the reasons and audited.
/// </summary>
public sealed class ElevateDialog(PolicyStore policies, AccessControl access, AuditTrail audit, Approvals approvals, AccessRequestStore requests, TimeProvider time) : IDialog
{
    public static string Name => DialogNames.Elevate;

    public static bool ActsOnAnApp => true;

    public async Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var app = request.App;
        var right = Enum.TryParse<AppRight>(request.Data.Mode, out var r) && r is AppRight.ManageCredentials or AppRight.ManageOwners ? r : AppRight.ManageCredentials;
        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        return DialogAnswer.Show("Request elevation", ElevationCards.ElevateForm(app, policy, right, Submit(app)));
    }

    public async Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (who, app) = (request.Who, request.App);
        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        var right = Enum.TryParse<AppRight>(request.Input("right"), out var r) && r is AppRight.ManageCredentials or AppRight.ManageOwners ? r : AppRight.ViewAudit;
        var duration = int.TryParse(request.Input("minutes"), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes <= 60 * 24 * 366 ? TimeSpan.FromMinutes(minutes) : TimeSpan.Zero;
        var justification = request.Input("justification");
        var ticket = request.Input("ticket");
        var problems = ElevationRules.Problems(policy, right, duration, justification, ticket);
        if (problems.Count > 0)
        {
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RequestElevation, AuditOutcome.Refused, string.Join(" ", problems), ticket is { Length: <= ElevationRules.MaxTicketLength } ? ticket : null, cancellationToken);
            return DialogAnswer.Show("Request elevation", ElevationCards.ElevateForm(app, policy, right is AppRight.ViewAudit ? AppRight.ManageCredentials : right, Submit(app), problems));
        }

        if ((await access.MayAsync(who, app, right, cancellationToken)) is { Allowed: true } already)
        {
            return DialogAnswer.Close($"You can already do that on {app.DisplayName} ({already.Explanation}); no elevation is needed.");
        }

        var now = time.GetUtcNow();
        var draft = new AccessRequest(0, AccessRequestKind.Elevation, app.ObjectId, who.ObjectId, who.DisplayName, right, duration, justification, string.IsNullOrWhiteSpace(ticket) ? null : ticket, null, AccessRequestStatus.Pending, now, now + AccessRequest.DecisionWindow);
        if (!policy.Elevation.ApprovalRequired)
        {
            // The request, its grant and the event commit together (the pipeline commits the change).
            await audit.BeginChangeAsync(cancellationToken);
            var stored = await requests.CreateAsync(draft, cancellationToken);
            var selfApproved = stored with { Status = AccessRequestStatus.Approved, DecidedByObjectId = who.ObjectId, DecidedByName = "policy " + policy.Name, DecidedAt = now };
            await requests.RecordDecisionAsync(selfApproved, new Grant(0, app.ObjectId, who.ObjectId, right, now, now + duration), cancellationToken);
            await audit.RecordAsync(who, app.ObjectId, AuditOperation.RequestElevation, AuditOutcome.Granted, $"Request {stored.Id}: policy {policy.Name} needs no approval; {ElevationRules.Describe(duration)}. {justification}", stored.Ticket, cancellationToken);
            return DialogAnswer.Close(
                $"Granted without approval (policy {policy.Name}): it ends at {(now + duration).UtcDateTime:yyyy-MM-dd HH:mm} UTC.",
                $"You may {ElevationCards.RightName(right)} on {app.DisplayName} now");
        }

        var sent = await approvals.SubmitAsync(draft, app, policy, who, cancellationToken);
        return DialogAnswer.Close(
            $"{sent} Who decides: {Authorizer.WhoCanApprove(app, draft)}.",
            $"You asked to {ElevationCards.RightName(right)} on {app.DisplayName} for {ElevationRules.Describe(duration)}");
    }

    private static DialogData Submit(App app) => new(null, DialogNames.Elevate, app.ObjectId);
}
