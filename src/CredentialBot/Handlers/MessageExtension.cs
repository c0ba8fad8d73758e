using System.Text.RegularExpressions;
using CredentialBot.Actions;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Cards;
using CredentialBot.Commands;
using CredentialBot.Domain;
using Microsoft.Extensions.Options;

namespace CredentialBot.Handlers;

/// <summary>Builds the status card a person sees: their own buttons, live findings, scheduled removals.</summary>
public sealed class StatusCards(PolicyStore policies, AccessControl access, SecretRemovalStore removals, IOptions<CardOptions> cards, TimeProvider time)
{
    public async Task<BotFramework.Cards.AdaptiveCard> ForAsync(App app, Actor viewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        var now = time.GetUtcNow();
        var who = await access.PrincipalOfAsync(viewer, cancellationToken);
        var actions = new StatusActions((await access.MayAsync(who, app, AppRight.ManageCredentials, cancellationToken)).Allowed, app.IsOwnedBy(who.ObjectId), cards.Value.Buttons);
        return StatusCard.Build(app, policy, PolicyEvaluator.Evaluate(app, policy, now), now, actions, removals: await removals.ScheduledForAsync(app.ObjectId, cancellationToken));
    }

    /// <summary>The one-line summary of a result list: what it has and when it next expires.</summary>
    public ThumbnailCard Preview(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var now = time.GetUtcNow();
        var secrets = app.Credentials.Count(c => c.Kind == CredentialKind.Secret);
        var certificates = app.Credentials.Count - secrets;
        var nearest = app.NearestExpiry;
        var expiry = nearest is null ? "nothing to expire" : $"next expiry {CardText.Date(nearest.EndsAt)} ({CardText.DaysLeft(nearest, now)})";
        return new ThumbnailCard(app.DisplayName, $"{CardText.AppKindName(app.Kind)} · {app.AppId}", $"{secrets} secret(s), {certificates} certificate(s) · {expiry}");
    }
}

/// <summary>
/// The message extension's "Find app" search (<c>composeExtension/query</c>): by name, appId or owner, answered from
/// the store only (no Graph on this path, well inside Teams' 5-second limit). Choosing a result inserts the App's
/// status card, which refreshes itself for every viewer.
/// </summary>
public sealed class FindAppHandler(AppCatalog catalog, StatusCards statusCards) : IInvokeHandler<MessagingExtensionQuery>
{
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

        var actor = context.Actor;
        var results = new List<MessagingExtensionAttachment>();
        foreach (var app in apps)
        {
            results.Add(MessagingExtensionAttachment.ForCard(StatusCard.Shared(await statusCards.ForAsync(app, actor, cancellationToken), app), statusCards.Preview(app)));
        }

        return InvokeResponse.Ok(MessagingExtensionResponse.Results(results));
    }

}

/// <summary>
/// Link unfurling (<c>composeExtension/queryLink</c>): an Entra admin-center or Azure portal link to an app
/// registration or enterprise application becomes its status card.
/// </summary>
public sealed partial class UnfurlAppLinkHandler(AppCatalog catalog, StatusCards statusCards) : IInvokeHandler<AppBasedLinkQuery>
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
            var apps = await catalog.FindAsync(id, 2, cancellationToken);
            if (apps.FirstOrDefault(a => string.Equals(a.AppId, id, StringComparison.OrdinalIgnoreCase) || string.Equals(a.ObjectId, id, StringComparison.OrdinalIgnoreCase)) is { } app)
            {
                var card = StatusCard.Shared(await statusCards.ForAsync(app, context.Actor, cancellationToken), app);
                return InvokeResponse.Ok(MessagingExtensionResponse.Results([MessagingExtensionAttachment.ForCard(card, statusCards.Preview(app))]));
            }
        }

        return InvokeResponse.Ok(MessagingExtensionResponse.Message("CredentialBot does not know the app that link points to."));
    }

    [GeneratedRegex(@"(appId|objectId)[/=]([0-9A-Za-z\-]{8,64})", RegexOptions.IgnoreCase)]
    private static partial Regex PortalId();
}

/// <summary>The refresh of a shared status card: live status and the viewer's own buttons.</summary>
public sealed class AppStatusRefreshHandler(AppCatalog catalog, StatusCards statusCards) : IInvokeHandler<AppActionData>
{
    public async Task<InvokeResponse> HandleAsync(InvokeContext<AppActionData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await catalog.GetAsync(context.Data.App, cancellationToken) is not { } app)
        {
            return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Message("That app is no longer in the catalog."));
        }

        var card = await statusCards.ForAsync(app, context.Actor, cancellationToken);
        return InvokeResponse.Ok(AdaptiveCardInvokeResponse.Card(StatusCard.Shared(card, app)));
    }
}
