using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Requests;

/// <summary>
/// The automatic refresh of an approval card for the approvers it lists: the buttons only for those who may decide.
/// Audited like a decision when its data is forged.
/// </summary>
public sealed class ViewRequest(Approvals approvals) : ICardAction<RequestActionData>
{
    public static AuditOperation? Operation => AuditOperation.DecideRequest;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<RequestActionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AdaptiveCardInvokeResponse.Card(await approvals.ViewAsync(request.Data.Request, request.Who, cancellationToken));
    }
}
