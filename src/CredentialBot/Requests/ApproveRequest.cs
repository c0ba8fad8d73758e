using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Requests;

/// <summary>
/// Approve on an approval card. The card carries only the request id; the approver is the authenticated sender, and
/// Domain decides whether they may (never the requester, never through an elevation).
/// </summary>
public sealed class ApproveRequest(Approvals approvals) : ICardAction<RequestActionData>
{
    public static AuditOperation? Operation => AuditOperation.DecideRequest;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<RequestActionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AdaptiveCardInvokeResponse.Card(await approvals.DecideAsync(request.Data.Request, request.Who, approve: true, cancellationToken));
    }
}
