namespace CredentialBot.Domain;

/// <summary>
/// The admin consent workflow (<c>GET /policies/adminConsentRequestPolicy</c>): "the policy for enabling or disabling
/// the Microsoft Entra admin consent workflow", which "allows users to request access for apps that they wish to use
/// and that require admin authorization" (learn.microsoft.com/graph/api/resources/adminconsentrequestpolicy).
/// </summary>
public sealed record AdminConsentRequestSettings(bool IsEnabled, bool NotifyReviewers = false, int? RequestDurationInDays = null);
