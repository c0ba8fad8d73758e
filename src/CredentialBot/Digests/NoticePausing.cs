using CredentialBot.BotFramework.Cards;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.Domain;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>
/// Pausing a credential's notices from the digest (Snooze, Acknowledge). Only an owner of the App (of any kind) may,
/// only for the App's own credentials; every pause and every refusal is audited. The answer redraws the digest from
/// the store, so the card says who paused what until when.
/// </summary>
public sealed partial class NoticePausing(AppCatalog catalog, SnoozeStore snoozes, DigestView view, AuditTrail audit, IOptions<CardOptions> cards, TimeProvider time, ILogger<NoticePausing> logger)
{
    /// <param name="data">The button's data.</param>
    /// <param name="who">The person pressing it.</param>
    /// <param name="operation">What the pause is audited as.</param>
    /// <param name="expectedDays">The days the button must carry (snooze: 7; acknowledge: 0).</param>
    /// <param name="pauseUntil">Until when notices pause for these credentials, or why they cannot.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<AdaptiveCardInvokeResponse> PauseAsync(
        PauseNoticesData data,
        Principal who,
        AuditOperation operation,
        int expectedDays,
        Func<IReadOnlyList<Credential>, DateTimeOffset, (DateTimeOffset? Until, string? Refusal)> pauseUntil,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(pauseUntil);
        var now = time.GetUtcNow();
        if (data.Days != expectedDays)
        {
            await audit.RefusedAsync(who, null, operation, "Malformed request to pause notices", cancellationToken);
            return AdaptiveCardInvokeResponse.Error(400, "BadRequest", "That request was not understood; nothing was changed.");
        }

        if (await catalog.GetAsync(data.App, cancellationToken) is not { } app)
        {
            return AdaptiveCardInvokeResponse.Message("That app is no longer in the catalog; nothing was changed.");
        }

        if (!app.IsOwnedBy(who.ObjectId))
        {
            await audit.RefusedAsync(who, app.ObjectId, operation, "Not an owner of the app", cancellationToken);
            LogRefused(logger, app.ObjectId);
            return AdaptiveCardInvokeResponse.Message($"Only the owners of {CardText.Literal(app.DisplayName)} can pause its notices; nothing was changed.");
        }

        if (data.Keys.Any(k => app.Credentials.All(c => c.KeyId != k)))
        {
            await audit.RefusedAsync(who, app.ObjectId, operation, "Credentials that are not the app's", cancellationToken);
            return AdaptiveCardInvokeResponse.Message("Those credentials are not this app's; nothing was changed.");
        }

        var (pause, refusal) = pauseUntil([.. app.Credentials.Where(c => data.Keys.Contains(c.KeyId))], now);
        if (pause is not { } until)
        {
            await audit.RefusedAsync(who, app.ObjectId, operation, refusal!, cancellationToken);
            return AdaptiveCardInvokeResponse.Message(refusal!);
        }

        // The pause and its event commit together, before the redraw: the redraw only reads, and on SQLite an open
        // change would keep every other writer waiting while it loads the digest's Apps and builds the card.
        await audit.BeginChangeAsync(cancellationToken);
        await snoozes.SnoozeAsync(app.ObjectId, data.Keys, until, who.ObjectId, who.DisplayName, cancellationToken);
        await audit.RecordAsync(who, app.ObjectId, operation, AuditOutcome.Succeeded, $"{data.Keys.Count} credential(s) until {CardText.Date(until)}", cancellationToken);
        await audit.CommitChangeAsync(cancellationToken);
        return AdaptiveCardInvokeResponse.Card(await RedrawAsync(who.ObjectId, data.Digest, app, now, cancellationToken));
    }

    /// <summary>
    /// The digest as it stands now: for each of its Apps, what the person is currently told about. <paramref name="paused"/>
    /// is the App as read for this pause, which wrote only the pause, not the App: it is not read again.
    /// </summary>
    private async Task<AdaptiveCard> RedrawAsync(string person, IReadOnlyList<string> digest, App paused, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var items = await view.ForPersonAsync(person, digest, [paused], cancellationToken);
        var pauses = await PausedNotices.ForAsync(snoozes, [.. items.Select(i => i.App.ObjectId)], cancellationToken);
        return DigestCard.ForOwner(items, now, pauses.All, cards.Value.Buttons);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to pause notices of {App}: the sender is not an owner")]
    private static partial void LogRefused(ILogger logger, string app);
}
