using CredentialBot.Domain;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>
/// Notices nobody accountable can receive go to the admins: credentials nobody can act on to the admin channel and the
/// signed ITSM webhook, whichever are configured; those of a person who cannot be reached (in no team the bot is in,
/// the app not installed for them) to the admin channel only, each notice once, and they wait as
/// <see cref="OutboxStatus.Unreachable"/> until the person installs the app, turns up in a team's roster, or the next
/// look on a backoff finds them. When they are reached, the admins who were told are told that too.
/// Delivered when either took them, retried when both failed, unreachable when neither is configured.
/// </summary>
public sealed partial class Escalations(
    Outbox outbox,
    DigestView view,
    ConversationReferenceStore references,
    ThrottledSends sends,
    EscalationWebhook webhook,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<Escalations> logger)
{
    /// <summary>True when the escalation was delivered.</summary>
    /// <param name="messages">The outbox rows to escalate.</param>
    /// <param name="notices">Their notices.</param>
    /// <param name="unreachable">The person these notices were for, when it is they who cannot be reached.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    public async Task<bool> EscalateAsync(IReadOnlyList<OutboxMessageRecord> messages, IReadOnlyList<Notice> notices, string? unreachable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(notices);
        if (unreachable is not null)
        {
            return await EscalateUnreachableAsync(messages, unreachable, cancellationToken);
        }

        var now = time.GetUtcNow();
        if (string.IsNullOrWhiteSpace(options.Value.AdminChannelConversationId) && !webhook.IsConfigured)
        {
            await outbox.MarkAllFailedAsync(messages, OutboxStatus.Unreachable, "No active owner, and no admin channel or escalation webhook is configured", _ => null, cancellationToken);
            return false;
        }

        var items = await view.StillDueAsync(notices, cancellationToken);
        if (items.Count == 0)
        {
            await outbox.MarkAllSentAsync(messages, null, cancellationToken);
            return false;
        }

        var delivered = await SendToAdminChannelAsync(DigestCard.ForAdmins(items, now), "Credentials with no active owner", cancellationToken);
        if (webhook.IsConfigured)
        {
            delivered |= await webhook.PostAsync(items, cancellationToken);
        }

        if (delivered)
        {
            await outbox.MarkAllSentAsync(messages, options.Value.AdminChannelConversationId, cancellationToken);
            LogEscalated(logger, items.Count);
            return true;
        }

        await outbox.MarkAllFailedAsync(messages, OutboxStatus.Failed, "Escalation not delivered", m => DeliveryBackoff.NextAttempt(m.Attempts, now), cancellationToken);
        return false;
    }

    /// <summary>
    /// Tells the admin channel that a person it heard could not be reached was reached, and when; only when some of
    /// <paramref name="messages"/> had been escalated. Best effort: their digest is delivered either way.
    /// </summary>
    public async Task TellReachedAsync(string person, IReadOnlyList<OutboxMessageRecord> messages, IReadOnlyList<DigestItem> delivered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(delivered);
        if (messages.All(m => m.EscalatedAt is null))
        {
            return;
        }

        var card = DigestCard.OwnerReached(NameOf(person, delivered), delivered, time.GetUtcNow());
        if (await SendToAdminChannelAsync(card, "An owner who could not be reached was reached", cancellationToken))
        {
            LogReached(logger, delivered.Count);
        }
    }

    /// <summary>
    /// A person nobody can reach: admins hear once about each notice (those already told are not repeated), and the
    /// notices wait as unreachable until the next look, or until the person is found sooner.
    /// </summary>
    private async Task<bool> EscalateUnreachableAsync(IReadOnlyList<OutboxMessageRecord> messages, string person, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        DateTimeOffset RetryAt(OutboxMessageRecord m) => DeliveryBackoff.NextReachAttempt(m.CreatedAt, now, settings.UnreachableRetry, settings.UnreachableRetryLimit);

        // The ITSM webhook is for credentials nobody owns; a person who cannot be reached is an admin's matter, not a
        // ticket for each of their credentials.
        if (string.IsNullOrWhiteSpace(settings.AdminChannelConversationId))
        {
            await MarkUnreachableAsync(messages, "RecipientUnreachable: in no team the bot is in; no admin channel is configured", RetryAt, escalated: false, cancellationToken);
            return false;
        }

        var news = messages.Where(m => m.EscalatedAt is null).Notices();
        var items = news.Count == 0 ? [] : await view.StillDueAsync(news, cancellationToken);
        if (items.Count == 0)
        {
            // Admins already know about these (or nothing is due any more): wait for the person quietly.
            await MarkUnreachableAsync(messages, "RecipientUnreachable: escalated to admins earlier", RetryAt, escalated: false, cancellationToken);
            return false;
        }

        if (await SendToAdminChannelAsync(DigestCard.ForAdmins(items, now, NameOf(person, items)), "Credentials whose owner cannot be reached", cancellationToken))
        {
            await MarkUnreachableAsync(messages, "RecipientUnreachable: escalated to admins", RetryAt, escalated: true, cancellationToken);
            LogEscalated(logger, items.Count);
            return true;
        }

        await outbox.MarkAllFailedAsync(messages, OutboxStatus.Failed, "Escalation not delivered", m => DeliveryBackoff.NextAttempt(m.Attempts, now), cancellationToken);
        return false;
    }

    private Task MarkUnreachableAsync(IReadOnlyList<OutboxMessageRecord> messages, string error, Func<OutboxMessageRecord, DateTimeOffset> retryAt, bool escalated, CancellationToken cancellationToken) =>
        outbox.MarkUnreachableAsync([.. messages.Select(m => (m.Id, retryAt(m)))], error, escalated, cancellationToken);

    private async Task<bool> SendToAdminChannelAsync(CredentialBot.BotFramework.Cards.AdaptiveCard card, string summary, CancellationToken cancellationToken) =>
        options.Value.AdminChannelConversationId is { Length: > 0 } channelId
        && await references.FindAsync(channelId, cancellationToken) is { } channel
        && (await sends.SendAsync(channel.ToReference(), card, summary, cancellationToken)).Succeeded;

    private static string NameOf(string personObjectId, IReadOnlyList<DigestItem> items) =>
        items.SelectMany(i => i.App.Owners).FirstOrDefault(o => o.ObjectId == personObjectId)?.DisplayName ?? personObjectId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalated {Apps} apps whose expiring credentials have no active owner or one nobody can reach")]
    private static partial void LogEscalated(ILogger logger, int apps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Told the admins that an owner they heard could not be reached got their digest ({Apps} apps)")]
    private static partial void LogReached(ILogger logger, int apps);
}
