using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.AppRequests;

/// <summary>
/// Deny on a new app registration's approval card: the reason typed on the card is required, recorded and sent to the
/// requester. The decider is the authenticated sender, checked like an approval.
/// </summary>
public sealed class DenyAppRequest(AppRequestApprovals approvals) : ICardAction<AppRequestActionData>
{
    public static AuditOperation? Operation => AuditOperation.DecideAppRequest;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<AppRequestActionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AdaptiveCardInvokeResponse.Card(await approvals.DecideAsync(request.Data.Request, request.Who, approve: false, request.Data.Reason, cancellationToken));
    }
}
