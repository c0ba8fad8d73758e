using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.AppRequests;

/// <summary>The automatic refresh of a new app registration's approval card: the buttons only for those who may decide.</summary>
public sealed class ViewAppRequest(AppRequestApprovals approvals) : ICardAction<AppRequestActionData>
{
    public static AuditOperation? Operation => AuditOperation.DecideAppRequest;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<AppRequestActionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AdaptiveCardInvokeResponse.Card(await approvals.ViewAsync(request.Data.Request, request.Who, cancellationToken));
    }
}
