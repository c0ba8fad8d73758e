using CredentialBot.Domain;

namespace CredentialBot.Requests;

/// <summary>
/// What approving one kind of request does (an elevation grants a right; an owner change changes owners). Each feature
/// that asks for approval registers one; <see cref="Approvals"/> finds it by the request's kind.
/// </summary>
public interface IApprovedRequest
{
    /// <summary>True for the kinds this applies.</summary>
    bool AppliesTo(AccessRequestKind kind);

    /// <summary>The grant the approval creates, stored with the decision in one transaction; null for none.</summary>
    Grant? GrantOnApproval(AccessRequest request, DateTimeOffset now);

    /// <summary>Applies an approved request (and audits it); the answer is what the requester is told.</summary>
    Task<string> ApplyAsync(AccessRequest approved, App app, Principal approver, CancellationToken cancellationToken);
}
