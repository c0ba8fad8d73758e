using CredentialBot.Domain;
using CredentialBot.Requests;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Audit;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Elevation;

/// <summary>
/// Approving an elevation: a grant for that one App until the requested duration ends, stored with the decision, and,
/// in PIM mode, a time-bound role assignment scoped to the App (a failure there leaves CredentialBot's own grant).
/// </summary>
public sealed class ElevationApproval(GrantStore grants, ITenantAdministration administration, AuditTrail audit, IOptions<AuthorizationOptions> options, TimeProvider time) : IApprovedRequest
{
    public bool AppliesTo(AccessRequestKind kind) => kind == AccessRequestKind.Elevation;

    public Grant? GrantOnApproval(AccessRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Right is { } right && request.Duration is { } duration
            ? new Grant(0, request.AppObjectId, request.RequesterObjectId, right, now, now + duration)
            : null;
    }

    public async Task<string> ApplyAsync(AccessRequest approved, App app, Principal approver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(approver);
        var grant = await grants.ForRequestAsync(approved.Id, cancellationToken);
        var settings = options.Value;
        var pim = string.Empty;
        if (grant is not null && settings.PimEnabled && settings.PimRoleDefinitionId is { } role)
        {
            try
            {
                var pimId = await administration.AssignTimeBoundRoleAsync(approved.RequesterObjectId, role, app.ObjectId, grant.StartsAt, grant.EndsAt - grant.StartsAt, approved.Justification ?? "CredentialBot elevation", approved.Ticket, cancellationToken);
                await grants.SetPimRequestAsync(grant.Id, pimId, cancellationToken);
                await audit.RecordAsync(approver, app.ObjectId, AuditOperation.PimAssignment, AuditOutcome.Succeeded, $"Request {approved.Id}: PIM schedule request {pimId} for {approved.RequesterName}, scope /{app.ObjectId}", approved.Ticket, cancellationToken);
                pim = " A matching PIM assignment scoped to this app was created in Entra.";
            }
            catch (ODataError error)
            {
                await audit.RecordAsync(approver, app.ObjectId, AuditOperation.PimAssignment, AuditOutcome.Failed, $"Request {approved.Id}: {error.Error?.Message ?? error.Message}", approved.Ticket, cancellationToken);
                pim = " Creating the PIM assignment in Entra failed; CredentialBot's own grant still applies.";
            }
        }

        var ends = grant?.EndsAt ?? time.GetUtcNow();
        return $"Your elevation on {app.DisplayName} ({(approved.Right == AppRight.ManageOwners ? "manage owners" : "rotate credentials")}) was approved by {approver.DisplayName ?? "an approver"}. It ends at {ends.UtcDateTime:yyyy-MM-dd HH:mm} UTC.{pim}";
    }
}
