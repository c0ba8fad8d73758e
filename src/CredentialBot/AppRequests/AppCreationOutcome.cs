using CredentialBot.Domain;

namespace CredentialBot.AppRequests;

/// <summary>How creating an approved request's App ended: the request as now stored, and what to tell the approver.</summary>
public sealed record AppCreationOutcome(AppRegistrationRequest Request, string ForApprover);
