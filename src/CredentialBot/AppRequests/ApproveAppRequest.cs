using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.AppRequests;

/// <summary>
/// "Approve and create" on a new app registration's approval card. The card carries only the request id; the approver
/// is the authenticated sender, and Domain decides whether they may (an admin, or a scoped admin the new app falls to,
/// never the requester). Turned off, nothing is created.
/// </summary>
public sealed class ApproveAppRequest(AppRequestApprovals approvals) : ICardAction<AppRequestActionData>
{
    public static AuditOperation? Operation => AuditOperation.DecideAppRequest;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<AppRequestActionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AdaptiveCardInvokeResponse.Card(await approvals.DecideAsync(request.Data.Request, request.Who, approve: true, request.Data.Reason, cancellationToken));
    }
}
