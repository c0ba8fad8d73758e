using System.Text.RegularExpressions;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Store.Services;

namespace CredentialBot.Status;

/// <summary>
/// Link unfurling (<c>composeExtension/queryLink</c>): an Entra admin-center or Azure portal link to an app
/// registration or enterprise application becomes its status card.
/// </summary>
public sealed partial class UnfurlAppLink(AppCatalog catalog, StatusCards statusCards, InteractionPipeline pipeline) : IInvokeHandler<AppBasedLinkQuery>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<AppBasedLinkQuery> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var url = context.Data.Url;
        if (url is not { Length: <= 2048 } || !Uri.TryCreate(url, UriKind.Absolute, out var link) || link.Scheme != Uri.UriSchemeHttps
            || !(link.Host.EndsWith("entra.microsoft.com", StringComparison.OrdinalIgnoreCase) || link.Host.EndsWith("portal.azure.com", StringComparison.OrdinalIgnoreCase)))
        {
            return InvokeResponse.Ok(MessagingExtensionResponse.Message("That is not an Entra admin center or Azure portal link."));
        }

        // Portal links carry the ids in the fragment: …/Overview/appId/<id>/objectId/<id>/…
        var ids = PortalId().Matches(Uri.UnescapeDataString(link.Fragment + link.AbsolutePath + link.Query)).Select(m => m.Groups[2].Value).Distinct().ToList();
        foreach (var id in ids)
        {
            var apps = await catalog.FindExactAsync(id, 2, cancellationToken);
            if (apps.FirstOrDefault(a => string.Equals(a.AppId, id, StringComparison.OrdinalIgnoreCase) || string.Equals(a.ObjectId, id, StringComparison.OrdinalIgnoreCase)) is { } app)
            {
                var card = await pipeline.RunAsync(context.Actor, (who, ct) => statusCards.SharedAsync(app, who, ct), cancellationToken);
                return InvokeResponse.Ok(MessagingExtensionResponse.Results([MessagingExtensionAttachment.ForCard(card, statusCards.Preview(app))]));
            }
        }

        return InvokeResponse.Ok(MessagingExtensionResponse.Message("CredentialBot does not know the app that link points to."));
    }

    [GeneratedRegex(@"(appId|objectId)[/=]([0-9A-Za-z\-]{8,64})", RegexOptions.IgnoreCase)]
    private static partial Regex PortalId();
}
