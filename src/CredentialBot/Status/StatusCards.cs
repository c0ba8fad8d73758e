using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.Domain;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Status;

/// <summary>
/// The one way a status card is drawn from the store: the App's policy and live findings, its scheduled secret
/// removals, and either the viewer's own buttons or, for a card everyone in a conversation sees, none.
/// </summary>
public sealed class StatusCards(PolicyStore policies, AccessControl access, SecretRemovalStore removals, IOptions<CardOptions> cards, TimeProvider time)
{
    /// <summary>The card as <paramref name="viewer"/> should see it: the buttons that will work for them.</summary>
    public Task<AdaptiveCard> ForViewerAsync(App app, Principal viewer, CancellationToken cancellationToken) =>
        ForViewerAsync(app, viewer, null, cancellationToken);

    /// <summary>The card as <paramref name="viewer"/> should see it, with a banner saying what just happened (a new App).</summary>
    public async Task<AdaptiveCard> ForViewerAsync(App app, Principal viewer, string? banner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var canRotate = (await access.MayAsync(viewer, app, AppRight.ManageCredentials, cancellationToken)).Allowed;
        return await BuildAsync(app, new StatusViewer(canRotate, app.IsOwnedBy(viewer.ObjectId), cards.Value.Buttons), banner, cancellationToken);
    }

    /// <summary>The card redrawn for everyone in a conversation (nobody's buttons), with a banner saying what just changed.</summary>
    public Task<AdaptiveCard> ForEveryoneAsync(App app, string banner, CancellationToken cancellationToken) =>
        BuildAsync(app, null, banner, cancellationToken);

    /// <summary>
    /// The card to share in a conversation (message extension, link unfurling): it refreshes itself for every viewer, so
    /// each sees live status and their own buttons.
    /// </summary>
    public async Task<AdaptiveCard> SharedAsync(App app, Principal viewer, CancellationToken cancellationToken) =>
        StatusCard.Shared(await ForViewerAsync(app, viewer, cancellationToken), app);

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

    private async Task<AdaptiveCard> BuildAsync(App app, StatusViewer? viewer, string? banner, CancellationToken cancellationToken)
    {
        var policy = await policies.GetPolicyForAsync(app, cancellationToken);
        var now = time.GetUtcNow();
        var scheduled = await removals.ScheduledForAsync(app.ObjectId, cancellationToken);
        return StatusCard.Build(app, policy, PolicyEvaluator.Evaluate(app, policy, now), now, viewer, banner, scheduled);
    }
}
