using CredentialBot.BotFramework;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Cards;
using CredentialBot.Domain;

namespace CredentialBot.Handlers;

/// <summary>
/// Pausing a credential's notices from the digest (Snooze, Acknowledge; Action.Execute). The card's data only says
/// which App and credentials; the person is the authenticated sender, and only an owner of the App (of any kind) may
/// pause its notices. Every pause and every refusal is audited. The answer redraws the digest from the store, so the
/// card says who paused what until when.
/// </summary>
public abstract partial class PauseNoticesHandler(AppCatalog catalog, PolicyStore policies, SnoozeStore snoozes, AuditLog audit, Microsoft.Extensions.Options.IOptions<CardOptions> cards, TimeProvider time, ILogger logger) : IInvokeHandler<SnoozeActionData>
{
    /// <summary>The audit operation.</summary>
    protected abstract string Operation { get; }

    /// <summary>The days the button's data must carry (snooze: 7; acknowledge: 0, "until it expires").</summary>
    protected abstract int ExpectedDays { get; }

    /// <summary>Until when notices pause, or a refusal.</summary>
    protected abstract (DateTimeOffset? Until, string? Refusal) PauseUntil(IReadOnlyList<Credential> credentials, DateTimeOffset now);

    public async Task<InvokeResponse> HandleAsync(InvokeContext<SnoozeActionData> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var actor = context.Actor;
        var data = context.Data;
        var now = time.GetUtcNow();
        if (actor.ObjectId is not { Length: > 0 } person)
        {
            return Answer(AdaptiveCardInvokeResponse.Error(401, "Unauthenticated", "Teams did not say who you are, so nothing was changed."));
        }

        if (data.Days != ExpectedDays)
        {
            await AuditAsync(actor, null, "Refused", "Malformed request to pause notices", now, cancellationToken);
            return Answer(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "That request was not understood; nothing was changed."));
        }

        var app = await catalog.GetAsync(data.App, cancellationToken);
        if (app is null)
        {
            return Answer(AdaptiveCardInvokeResponse.Message("That app is no longer in the catalog; nothing was changed."));
        }

        if (!app.IsOwnedBy(person))
        {
            await AuditAsync(actor, app.ObjectId, "Refused", "Not an owner of the app", now, cancellationToken);
            LogRefused(logger, app.ObjectId);
            return Answer(AdaptiveCardInvokeResponse.Message($"Only the owners of {CardText.Literal(app.DisplayName)} can pause its notices; nothing was changed."));
        }

        if (data.Keys.Any(k => app.Credentials.All(c => c.KeyId != k)))
        {
            await AuditAsync(actor, app.ObjectId, "Refused", "Credentials that are not the app's", now, cancellationToken);
            return Answer(AdaptiveCardInvokeResponse.Message("Those credentials are not this app's; nothing was changed."));
        }

        var (pause, refusal) = PauseUntil([.. app.Credentials.Where(c => data.Keys.Contains(c.KeyId))], now);
        if (pause is not { } until)
        {
            await AuditAsync(actor, app.ObjectId, "Refused", refusal!, now, cancellationToken);
            return Answer(AdaptiveCardInvokeResponse.Message(refusal!));
        }

        await snoozes.SnoozeAsync(app.ObjectId, data.Keys, until, person, actor.DisplayName, cancellationToken);
        await AuditAsync(actor, app.ObjectId, "Succeeded", $"{data.Keys.Count} credential(s) until {CardText.Date(until)}", now, cancellationToken);
        return Answer(AdaptiveCardInvokeResponse.Card(await RedrawAsync(person, data.Digest, now, cancellationToken)));
    }

    /// <summary>The digest as it stands now: for each of its Apps, what the person is currently told about.</summary>
    private async Task<BotFramework.Cards.AdaptiveCard> RedrawAsync(string person, IReadOnlyList<string> digest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var items = new List<(App, IReadOnlyList<Notice>)>();
        var policyNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var appObjectId in digest.Distinct(StringComparer.Ordinal))
        {
            if (await catalog.GetAsync(appObjectId, cancellationToken) is { } app)
            {
                var policy = await policies.GetPolicyForAsync(app, cancellationToken);
                policyNames[app.ObjectId] = policy.Name;
                var mine = NotificationPlanner.Plan(app, policy, PolicyEvaluator.Evaluate(app, policy, now)).Where(n => n.RecipientObjectId == person).ToList();
                if (mine.Count > 0)
                {
                    items.Add((app, mine));
                }
            }
        }

        var active = await snoozes.ActiveForAsync([.. items.Select(i => i.Item1.ObjectId)], cancellationToken);
        return DigestCard.Build(items, now, active, policyNames: policyNames, dialogButtons: cards.Value.Buttons);
    }

    public async Task RejectedAsync(TurnContext turn, string problem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Actor.ObjectId is { Length: > 0 })
        {
            await AuditAsync(turn.Actor, null, "Refused", "Malformed request to pause notices", time.GetUtcNow(), cancellationToken);
        }
    }

    private Task<long> AuditAsync(Actor actor, string? app, string outcome, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent(actor.ObjectId ?? actor.ChannelUserId, actor.DisplayName, app, Operation, outcome, reason, null, now), cancellationToken);

    private static InvokeResponse Answer(AdaptiveCardInvokeResponse body) => InvokeResponse.Ok(body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to pause notices of {App}: the sender is not an owner")]
    private static partial void LogRefused(ILogger logger, string app);
}

/// <summary>"Snooze 7 days": the credentials' stage notices pause for a week (an expiry is still announced).</summary>
public sealed class SnoozeHandler(AppCatalog catalog, PolicyStore policies, SnoozeStore snoozes, AuditLog audit, Microsoft.Extensions.Options.IOptions<CardOptions> cards, TimeProvider time, ILogger<SnoozeHandler> logger)
    : PauseNoticesHandler(catalog, policies, snoozes, audit, cards, time, logger)
{

    protected override string Operation => "SnoozeNotices";

    protected override int ExpectedDays => DigestCard.SnoozeDays;

    protected override (DateTimeOffset? Until, string? Refusal) PauseUntil(IReadOnlyList<Credential> credentials, DateTimeOffset now) => (now.AddDays(DigestCard.SnoozeDays), null);
}

/// <summary>
/// "Acknowledge": the owner knows; no more stage notices for these credentials until they expire (the expiry itself
/// is still announced). An expired credential cannot be acknowledged: it needs rotating.
/// </summary>
public sealed class AcknowledgeHandler(AppCatalog catalog, PolicyStore policies, SnoozeStore snoozes, AuditLog audit, Microsoft.Extensions.Options.IOptions<CardOptions> cards, TimeProvider time, ILogger<AcknowledgeHandler> logger)
    : PauseNoticesHandler(catalog, policies, snoozes, audit, cards, time, logger)
{

    protected override string Operation => "AcknowledgeNotices";

    protected override int ExpectedDays => 0;

    protected override (DateTimeOffset? Until, string? Refusal) PauseUntil(IReadOnlyList<Credential> credentials, DateTimeOffset now) =>
        credentials.Any(c => c.IsExpired(now)) || credentials.Count == 0
            ? (null, "An expired credential cannot be acknowledged; rotate it instead. Nothing was changed.")
            : (credentials.Max(c => c.EndsAt), null);
}
