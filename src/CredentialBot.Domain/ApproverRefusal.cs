namespace CredentialBot.Domain;

/// <summary>
/// A refusal to let someone decide a request, saying who can (<see cref="WhoCanApprove"/>, e.g. "an Entra owner of
/// Payroll API or a CredentialBot admin") and a sentence for the person who clicked.
/// </summary>
public sealed record ApproverRefusal(ApproverRefusalReason Reason, string WhoCanApprove, string Explanation);
