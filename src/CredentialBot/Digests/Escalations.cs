using CredentialBot.Domain;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>
/// Notices nobody accountable can receive go to the admins: credentials nobody can act on to the admin channel and the
/// signed ITSM webhook, whichever are configured; those of a person who cannot be reached (the app is not installed
/// for them) to the admin channel only, once, and they wait as <see cref="OutboxStatus.Unreachable"/> until the person
/// installs the app. Delivered when either took them, retried when both failed, unreachable when neither is configured.
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
        var now = time.GetUtcNow();
        var channelId = options.Value.AdminChannelConversationId;

        // The ITSM webhook is for credentials nobody owns; a person who has not installed the app is an admin's
        // matter, not a ticket for each of their credentials.
        var useWebhook = webhook.IsConfigured && unreachable is null;
        if (string.IsNullOrWhiteSpace(channelId) && !useWebhook)
        {
            await outbox.MarkAllFailedAsync(messages, OutboxStatus.Unreachable, unreachable is null ? "No active owner, and no admin channel or escalation webhook is configured" : "RecipientUnreachable: not installed; no admin channel or escalation webhook is configured", _ => null, cancellationToken);
            return false;
        }

        var items = await view.StillDueAsync(notices, cancellationToken);
        if (items.Count == 0)
        {
            await outbox.MarkAllSentAsync(messages, null, cancellationToken);
            return false;
        }

        var delivered = false;
        if (!string.IsNullOrWhiteSpace(channelId) && await references.FindAsync(channelId, cancellationToken) is { } channel)
        {
            var card = DigestCard.ForAdmins(items, now, unreachable is null ? null : NameOf(unreachable, items));
            var summary = unreachable is null ? "Credentials with no active owner" : "Credentials whose owner cannot be reached";
            delivered |= (await sends.SendAsync(channel.ToReference(), card, summary, cancellationToken)).Succeeded;
        }

        if (useWebhook)
        {
            delivered |= await webhook.PostAsync(items, cancellationToken);
        }

        if (delivered && unreachable is not null)
        {
            await outbox.MarkAllFailedAsync(messages, OutboxStatus.Unreachable, "RecipientUnreachable: not installed; escalated to admins", _ => null, cancellationToken);
            LogEscalated(logger, items.Count);
            return true;
        }

        if (delivered)
        {
            await outbox.MarkAllSentAsync(messages, channelId, cancellationToken);
            LogEscalated(logger, items.Count);
            return true;
        }

        await outbox.MarkAllFailedAsync(messages, OutboxStatus.Failed, "Escalation not delivered", m => DeliveryBackoff.NextAttempt(m.Attempts, now), cancellationToken);
        return false;
    }

    private static string NameOf(string personObjectId, IReadOnlyList<DigestItem> items) =>
        items.SelectMany(i => i.App.Owners).FirstOrDefault(o => o.ObjectId == personObjectId)?.DisplayName ?? personObjectId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalated {Apps} apps whose expiring credentials have no active owner")]
    private static partial void LogEscalated(ILogger logger, int apps);
}
