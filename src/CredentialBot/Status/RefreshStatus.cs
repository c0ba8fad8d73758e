using CredentialBot.BotFramework.Invokes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Store.Services;

namespace CredentialBot.Status;

/// <summary>The refresh of a shared status card: live status and the viewer's own buttons. A view: anyone may ask.</summary>
public sealed class RefreshStatus(AppCatalog catalog, StatusCards statusCards) : ICardAction<AppActionData>
{
    public static AuditOperation? Operation => null;

    public async Task<AdaptiveCardInvokeResponse> RunAsync(CardActionRequest<AppActionData> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await catalog.GetAsync(request.Data.App, cancellationToken) is { } app
            ? AdaptiveCardInvokeResponse.Card(await statusCards.SharedAsync(app, request.Who, cancellationToken))
            : AdaptiveCardInvokeResponse.Message("That app is no longer in the catalog.");
    }
}
