using CredentialBot.Domain;
using CredentialBot.Requests;

namespace CredentialBot.Ownership;

/// <summary>Approving an owner addition or a transfer: the change is applied as the approver, with the request as its reason.</summary>
public sealed class OwnerChangeApproval(OwnerChanges ownerChanges) : IApprovedRequest
{
    public bool AppliesTo(AccessRequestKind kind) => kind is AccessRequestKind.AddOwner or AccessRequestKind.TransferOwnership;

    public Grant? GrantOnApproval(AccessRequest request, DateTimeOffset now) => null;

    public async Task<string> ApplyAsync(AccessRequest approved, App app, Principal approver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(approver);
        var (_, message) = await ownerChanges.ApplyAsync(app, approved.Change!, approver, $"Approved request {approved.Id} by {approved.RequesterName}: {approved.Justification}", approved.Ticket, cancellationToken);
        return $"Approved by {approver.DisplayName ?? "an approver"}: {message}";
    }
}
