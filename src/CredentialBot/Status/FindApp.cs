using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Store.Services;

namespace CredentialBot.Status;

/// <summary>
/// The message extension's "Find app" search (<c>composeExtension/query</c>): by name, appId or owner, answered from
/// the store only (no Graph on this path, well inside Teams' 5-second limit). Choosing a result inserts the App's
/// status card, which refreshes itself for every viewer.
/// </summary>
public sealed class FindApp(AppCatalog catalog, StatusCards statusCards, InteractionPipeline pipeline) : IInvokeHandler<MessagingExtensionQuery>
{
    /// <summary>The manifest's command id.</summary>
    public const string CommandId = "findApp";
    private const int MaxResults = 25;

    public async Task<InvokeResponse> HandleAsync(InvokeContext<MessagingExtensionQuery> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Data.SearchText();
        if (query is null)
        {
            return InvokeResponse.Ok(MessagingExtensionResponse.Message("Type part of an app's name, its appId, or an owner's name."));
        }

        if (query.Length > AppLookup.MaxQueryLength)
        {
            return InvokeResponse.Ok(MessagingExtensionResponse.Message($"That search is too long ({query.Length} characters; at most {AppLookup.MaxQueryLength})."));
        }

        var apps = await catalog.SearchAsync(query, MaxResults, cancellationToken);
        if (apps.Count == 0)
        {
            return InvokeResponse.Ok(MessagingExtensionResponse.Message($"No app matches '{query}'."));
        }

        var results = await pipeline.RunAsync(context.Actor, async (who, ct) =>
        {
            var found = new List<MessagingExtensionAttachment>();
            foreach (var app in apps)
            {
                found.Add(MessagingExtensionAttachment.ForCard(await statusCards.SharedAsync(app, who, ct), statusCards.Preview(app)));
            }

            return found;
        }, cancellationToken);
        return InvokeResponse.Ok(MessagingExtensionResponse.Results(results));
    }
}
